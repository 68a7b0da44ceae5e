using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Dashboard;

/// <summary>What a manager narrows the dashboard to. Months are Korean calendar months (first day).</summary>
public sealed record DashboardFilter(DateOnly? From = null, DateOnly? To = null, Guid? CompanionId = null, CrimeType? Crime = null, bool? Minor = null)
{
    public static DashboardFilter None { get; } = new();
}

/// <summary>First-contact targets in whole hours (bucket edges up to 48 hours, so "within target" is exact).</summary>
public sealed record DashboardTargets(int FirstContactHours = 24, int EmergencyFirstContactHours = 1)
{
    public const int MaxHours = 48;

    public int HoursFor(CasePriority priority) => priority == CasePriority.Emergency ? EmergencyFirstContactHours : FirstContactHours;
}

public sealed record DashboardFigures(
    DateTimeOffset At,
    IReadOnlyList<DateOnly> TrendMonths,
    IReadOnlyDictionary<CaseStatus, long> OpenByStatus,
    IReadOnlyDictionary<CasePriority, long> OpenByPriority,
    IReadOnlyList<TrackLoad> OpenTracks,
    IntakeQueue Queue,
    IReadOnlyList<CompanionLoad> Caseload,
    IReadOnlyList<FirstContactMonth> FirstContact,
    IReadOnlyList<PlatformDeletion> Deletion,
    IReadOnlyList<MonthTrend> Trends)
{
    public long OpenTotal => OpenByStatus.Values.Sum();
}

public sealed record TrackLoad(ServiceTrackKind Kind, long Active, long OnHold);

public sealed record IntakeQueue(long Waiting, long PastTarget, IReadOnlyList<QueuedCase> Oldest);

/// <summary>An unassigned case in the queue: its reference (never anything about the victim), priority and age.</summary>
public sealed record QueuedCase(string Reference, CasePriority Priority, DateTimeOffset CreatedAt, TimeSpan Age, bool PastTarget);

public sealed record CompanionLoad(Guid CompanionId, string Name, long Open, long Emergency, long OverdueContacts);

/// <summary>
/// Time from intake to first contact for the cases opened in a month. Median and 90th percentile are the bucket
/// (see <see cref="DashboardFacts.FirstContactBounds"/>) holding the percentile_disc value: "under N minutes".
/// </summary>
public sealed record FirstContactMonth(DateOnly Month, long Contacted, long WithinTarget, int? MedianBucket, int? P90Bucket);

/// <summary>
/// Deletion support per platform, by the month a request was made, with <c>PlatformStatistics</c>' definitions:
/// requests made; answered deleted, refused, no response; verified gone by a re-check (before any later request),
/// with the median and 90th percentile time from request to verified gone as buckets of
/// <see cref="DashboardFacts.GoneHoursBounds"/>; removals (answered deleted or verified gone) and how many of them
/// the link came back online after.
/// </summary>
public sealed record PlatformDeletion(
    int PlatformId, string Platform, long Requests, long Deleted, long Refused, long NoResponse, long VerifiedGone,
    int? MedianGoneBucket, int? P90GoneBucket, long Removed, long ReappearedAfterRemoval)
{
    public double? ReappearanceRate => Removed == 0 ? null : (double)ReappearedAfterRemoval / Removed;
}

public sealed record MonthTrend(DateOnly Month, long Opened, long Closed, long Minors, IReadOnlyDictionary<CrimeType, long> ByCrime);
