namespace OnSeoulSafe.Cases.Domain;

/// <summary>How and when the victim may be reached. Staff screens show this before any contact action.</summary>
public sealed record SafeContact(
    ContactChannel Channel,
    string? PhoneNumber,
    string? Email,
    TimeOnly? SafeFrom,
    TimeOnly? SafeUntil,
    bool VoicemailSafe,
    string? SafeWord)
{
    /// <summary>The victim allowed nudges to name the center (otherwise they name nobody).</summary>
    public bool NameTheCenter { get; init; }

    public static SafeContact PortalOnly { get; } = new(ContactChannel.PortalOnly, null, null, null, null, false, null);

    /// <summary>What erasure keeps: only the channel the victim had chosen (a statistic), no way to reach them.</summary>
    public static SafeContact Erased(SafeContact contact) => new(contact.Channel, null, null, null, null, false, null);

    /// <summary>True when <paramref name="localTime"/> falls in the victim's safe hours (or none were given).</summary>
    public bool IsWithinSafeHours(TimeOnly localTime)
    {
        if (SafeFrom is not { } from || SafeUntil is not { } until) return true;
        return from <= until
            ? localTime >= from && localTime <= until
            : localTime >= from || localTime <= until; // e.g. 22:00–07:00
    }

    /// <summary>
    /// The first moment at or after <paramref name="localNow"/> that falls in the safe hours (itself when it already
    /// does, or none were given). Local times are Korea time.
    /// </summary>
    public DateTime NextSafeMoment(DateTime localNow)
    {
        if (IsWithinSafeHours(TimeOnly.FromDateTime(localNow)) || SafeFrom is not { } from) return localNow;
        var today = localNow.Date + from.ToTimeSpan();
        return today >= localNow ? today : today.AddDays(1);
    }

    /// <summary>Warnings a companion must see before contacting the victim by <paramref name="channel"/> at <paramref name="localTime"/>.</summary>
    public IReadOnlyList<string> WarningsFor(ContactChannel channel, TimeOnly localTime)
    {
        var warnings = new List<string>();
        if (channel != ContactChannel.PortalOnly && channel != Channel) warnings.Add("contact.channel-not-chosen");
        if (!IsWithinSafeHours(localTime)) warnings.Add("contact.outside-safe-hours");
        if (channel == ContactChannel.Phone && !VoicemailSafe) warnings.Add("contact.no-voicemail");
        return warnings;
    }
}
