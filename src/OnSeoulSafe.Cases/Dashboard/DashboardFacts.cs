using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Dashboard;

/// <summary>
/// What each row of the case file contributes to the dashboard, as a pure function of that row. The ledger
/// writes "facts of the new row minus facts of the old row"; <see cref="DashboardLedger.RebuildAsync"/> computes the
/// same facts in SQL from the raw tables. Both must follow the definitions here.
/// </summary>
public static class DashboardFacts
{
    /// <summary>Korea has kept UTC+9 without daylight saving since 1988: months are Korean calendar months.</summary>
    public static readonly TimeSpan KoreaOffset = TimeSpan.FromHours(9);

    /// <summary>The month of facts that have none (service tracks).</summary>
    public static readonly DateOnly NoMonth = new(2000, 1, 1);

    public const short AllCrimes = -1;

    /// <summary>
    /// Upper bounds (exclusive, in whole minutes) of the first-contact buckets: every hour up to two days, finer
    /// in the first hour, coarser after. A whole-hour target up to 48 hours is a bucket edge, so "within target"
    /// counts are exact. Bucket i holds minutes in [bound[i-1], bound[i]); the last bucket is open-ended.
    /// </summary>
    public static readonly int[] FirstContactBounds = BuildBounds();

    public static DateOnly MonthOf(DateTimeOffset at)
    {
        var local = at.ToOffset(KoreaOffset);
        return new DateOnly(local.Year, local.Month, 1);
    }

    /// <summary>Number of bounds at or below the value (PostgreSQL's width_bucket over the same array).</summary>
    public static int FirstContactBucket(DateTimeOffset createdAt, DateTimeOffset firstContactAt)
    {
        var minutes = WholeMinutes(createdAt, firstContactAt);
        var bucket = 0;
        while (bucket < FirstContactBounds.Length && FirstContactBounds[bucket] <= minutes) bucket++;
        return bucket;
    }

    /// <summary>Inclusive lower bound in minutes of a bucket.</summary>
    public static int BucketFloorMinutes(int bucket) => bucket == 0 ? 0 : FirstContactBounds[bucket - 1];

    /// <summary>Exclusive upper bound in minutes of a bucket, or null for the open-ended last one.</summary>
    public static int? BucketCeilingMinutes(int bucket) => bucket < FirstContactBounds.Length ? FirstContactBounds[bucket] : null;

    public static long WholeMinutes(DateTimeOffset from, DateTimeOffset to) =>
        (long)Math.Floor(Math.Max(0, (Microseconds(to) - Microseconds(from)) / 1_000_000.0) / 60);

    /// <summary>PostgreSQL keeps microseconds: compute from what will be stored, not from .NET's 100 ns ticks.</summary>
    private static long Microseconds(DateTimeOffset at) => at.UtcTicks / 10;

    public static int CrimeMask(IEnumerable<CrimeType> crimes) => crimes.Aggregate(0, (mask, c) => mask | (1 << (int)c));

    /// <summary>The dashboard-relevant part of a case row.</summary>
    public readonly record struct CaseRow(
        CaseStatus Status, CasePriority Priority, int CrimeMask, bool IsMinor, Guid? CompanionId,
        DateTimeOffset CreatedAt, DateTimeOffset? FirstContactAt, DateTimeOffset? ClosedAt);

    public static IEnumerable<DashboardCell> ForCase(CaseRow row)
    {
        var month = MonthOf(row.CreatedAt);
        foreach (var cell in Expand(DashboardMeasure.CasesOpened, month, row, 0, 0)) yield return cell;
        if (row.Status is CaseStatus.Closed or CaseStatus.Withdrawn)
        {
            if (row.ClosedAt is { } closedAt)
            {
                foreach (var cell in Expand(DashboardMeasure.CasesClosed, MonthOf(closedAt), row, row.Status == CaseStatus.Closed ? 0 : 1, 0)) yield return cell;
            }
        }
        else
        {
            foreach (var cell in Expand(DashboardMeasure.OpenCases, month, row, (int)row.Status, (int)row.Priority)) yield return cell;
            foreach (var cell in Expand(DashboardMeasure.OpenCaseload, NoMonth, row, (int)row.Status, (int)row.Priority)) yield return cell;
        }
        if (row.FirstContactAt is { } contact)
        {
            foreach (var cell in Expand(DashboardMeasure.FirstContact, month, row, (int)row.Priority, FirstContactBucket(row.CreatedAt, contact))) yield return cell;
        }
    }

    public static IEnumerable<DashboardCell> ForTrack(ServiceTrackKind kind, TrackStatus status)
    {
        if (status is TrackStatus.Active or TrackStatus.OnHold)
        {
            yield return new DashboardCell(DashboardMeasure.OpenTracks, NoMonth, Guid.Empty, AllCrimes, false, (int)kind, (int)status);
        }
    }

    /// <summary>
    /// Upper bounds (exclusive, in whole hours) of the buckets of time from a deletion request to the link being
    /// verified gone: fine in the first days, when most platforms answer, coarse up to a year. The median and 90th
    /// percentile are read as the bucket holding them; the last bucket (a year or more) is open-ended.
    /// </summary>
    public static readonly int[] GoneHoursBounds = [1, 2, 4, 8, 12, 24, 48, 72, 96, 120, 168, 336, 504, 720, 1440, 2160, 4320, 8760];

    /// <summary>The deletion-relevant part of a request row (definitions shared with <c>PlatformStatistics</c>).</summary>
    public readonly record struct RequestRow(int PlatformId, DateTimeOffset RequestedAt, ContentStatus? Outcome, DateTimeOffset? VerifiedGoneAt, DateTimeOffset? ReappearedAt)
    {
        public bool Removed => Outcome == ContentStatus.Deleted || VerifiedGoneAt is not null;
    }

    public static int GoneBucket(DateTimeOffset requestedAt, DateTimeOffset goneAt)
    {
        var hours = WholeHours(requestedAt, goneAt);
        var bucket = 0;
        while (bucket < GoneHoursBounds.Length && GoneHoursBounds[bucket] <= hours) bucket++;
        return bucket;
    }

    /// <summary>Inclusive lower bound in hours of a time-to-deletion bucket.</summary>
    public static int GoneBucketFloorHours(int bucket) => bucket == 0 ? 0 : GoneHoursBounds[bucket - 1];

    /// <summary>Exclusive upper bound in hours of a time-to-deletion bucket, or null for the open-ended last one.</summary>
    public static int? GoneBucketCeilingHours(int bucket) => bucket < GoneHoursBounds.Length ? GoneHoursBounds[bucket] : null;

    public static long WholeHours(DateTimeOffset from, DateTimeOffset to) =>
        (long)Math.Floor(Math.Max(0, (Microseconds(to) - Microseconds(from)) / 1_000_000.0) / 3600);

    /// <summary>Deletion facts count in their request's month and once more in the all-time cell (<see cref="NoMonth"/>), so
    /// the unfiltered view reads the same few cells however many years have passed.</summary>
    public static IEnumerable<DashboardCell> ForDeletionRequest(RequestRow request, bool isMinor)
    {
        foreach (var month in new[] { MonthOf(request.RequestedAt), NoMonth })
        {
            yield return new DashboardCell(DashboardMeasure.DeletionRequests, month, Guid.Empty, AllCrimes, isMinor, request.PlatformId, request.Outcome is null ? 0 : (int)request.Outcome + 1);
            if (request.VerifiedGoneAt is { } gone)
            {
                yield return new DashboardCell(DashboardMeasure.TimeToVerifiedGone, month, Guid.Empty, AllCrimes, isMinor, request.PlatformId, GoneBucket(request.RequestedAt, gone));
            }
            if (request.Removed)
            {
                yield return new DashboardCell(DashboardMeasure.Removals, month, Guid.Empty, AllCrimes, isMinor, request.PlatformId, request.ReappearedAt is null ? 0 : 1);
            }
        }
    }

    /// <summary>A case counts once in the all-companions cell and once in its companion's; once over all crime types and once per crime type.</summary>
    private static IEnumerable<DashboardCell> Expand(DashboardMeasure measure, DateOnly month, CaseRow row, int key1, int key2)
    {
        var companions = row.CompanionId is { } id && id != Guid.Empty ? new[] { Guid.Empty, id } : [Guid.Empty];
        foreach (var companion in companions)
        {
            yield return new DashboardCell(measure, month, companion, AllCrimes, row.IsMinor, key1, key2);
            for (short crime = 0; crime < 32; crime++)
            {
                if ((row.CrimeMask & (1 << crime)) != 0)
                {
                    yield return new DashboardCell(measure, month, companion, crime, row.IsMinor, key1, key2);
                }
            }
        }
    }

    private static int[] BuildBounds()
    {
        var bounds = new List<int> { 5, 10, 15, 20, 30, 45 };
        for (var hour = 1; hour <= 48; hour++) bounds.Add(hour * 60);
        bounds.AddRange([72 * 60, 96 * 60, 120 * 60, 168 * 60, 336 * 60, 720 * 60]);
        return [.. bounds];
    }
}
