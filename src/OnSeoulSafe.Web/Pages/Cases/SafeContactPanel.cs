using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>The victim's safe-contact preferences and what each way of reaching them would risk right now.</summary>
public sealed record SafeContactPanel(SafeContact Contact, DateTimeOffset Now)
{
    public TimeOnly KoreaNow => KoreaTime.TimeOfDay(Now);

    public bool IsWithinSafeHours => Contact.IsWithinSafeHours(KoreaNow);

    public IReadOnlyList<(ContactChannel Channel, IReadOnlyList<string> Warnings)> Actions =>
        [.. new[] { ContactChannel.PortalOnly, ContactChannel.Phone, ContactChannel.Text, ContactChannel.Email }
            .Select(channel => (channel, Contact.WarningsFor(channel, KoreaNow)))];

    /// <summary>Which channel an activity reaches the victim through, if any.</summary>
    public static ContactChannel? ChannelOf(TimelineEventKind kind) => kind switch
    {
        TimelineEventKind.Call => ContactChannel.Phone,
        TimelineEventKind.HomeVisit => ContactChannel.Phone,
        _ => null,
    };
}
