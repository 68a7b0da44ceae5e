using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Pages.Shared;

namespace OnSeoulSafe.Web.Pages.Report;

/// <summary>Everything the intake asks, carried through every step so nothing typed is ever lost.</summary>
public sealed record ReportInput
{
    /// <summary>Random per form: a repeated submit of the same form finds the same case.</summary>
    public Guid IntakeKey { get; set; }

    // Step 1: what happened
    public List<CrimeType> CrimeTypes { get; set; } = [];
    public string? Narrative { get; set; }
    public DateOnly? HappenedOn { get; set; }
    public string? Links { get; set; }

    /// <summary>Fingerprints (SHA-256) of files the victim holds, computed in their browser: never the files.</summary>
    public List<SubmittedHash> Evidence { get; set; } = [];

    // Step 2: safety
    public bool? SelfHarmThoughts { get; set; }
    public bool? OngoingThreats { get; set; }
    public bool? OffenderKnowsAddress { get; set; }
    public bool? UnderNineteen { get; set; }

    // Step 3: contact and consent
    public ContactChannel Channel { get; set; } = ContactChannel.PortalOnly;
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public TimeOnly? SafeFrom { get; set; }
    public TimeOnly? SafeUntil { get; set; }
    public bool VoicemailSafe { get; set; }
    public string? SafeWord { get; set; }
    public List<ServiceTrackKind> Consents { get; set; } = [];

    /// <summary>Copies monitoring finds may be requested at once (with help with deleting the content chosen).</summary>
    public bool AutomaticRequests { get; set; }
    public string? Nickname { get; set; }

    /// <summary>A minor's guardians as she describes them (asked only when she is under 19; nothing here is required).</summary>
    public List<GuardianStatement> Guardians { get; set; } = [];

    /// <summary>
    /// The links as they will be kept: completed (<c>t.me/x</c> becomes <c>https://t.me/x</c>), normalised, and each
    /// once however often it was typed. Lines that are not links are left out (the first step refuses them).
    /// </summary>
    public IReadOnlyList<string> DistinctLinks() =>
        LinkLines().Select(ContentLinks.Normalise).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The links as the victim typed them, one per line, blanks dropped.</summary>
    public IReadOnlyList<string> LinkLines() =>
        (Links ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
