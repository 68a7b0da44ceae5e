using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;

namespace OnSeoulSafe.Cases.Deletion;

/// <summary>
/// Deletion figures for one platform over a period (by the date a request was made). Times run from the request
/// to the link being verified gone by a re-check (before any later request of the same link). A removal is a request
/// answered "deleted" or verified gone; it counts as reappeared when the link came back online before any later
/// request. The dashboard keeps the same figures as counters (<c>DashboardFacts.ForDeletionRequest</c>).
/// </summary>
public sealed record PlatformStatisticsRow(
    int PlatformId,
    string PlatformName,
    int Requests,
    int Deleted,
    int Refused,
    int NoResponse,
    int Open,
    int VerifiedGone,
    TimeSpan? MedianTimeToVerifiedGone,
    TimeSpan? Percentile90TimeToVerifiedGone,
    int Removed,
    int ReappearedAfterRemoval)
{
    /// <summary>Share of removals after which the link came back online; null when nothing was removed.</summary>
    public double? ReappearanceRate => Removed == 0 ? null : (double)ReappearedAfterRemoval / Removed;
}

/// <summary>
/// Per-platform deletion statistics over any period: one SQL round trip over the requests made in it. The dates it
/// reads are recorded on each request as the link's status changes (<see cref="Domain.ContentItem"/>).
/// </summary>
public sealed class PlatformStatistics(PortalDbContext db)
{
    /// <summary>One row per platform (platforms without requests in the period included, with zeros), by name.</summary>
    public async Task<IReadOnlyList<PlatformStatisticsRow>> ForPeriodAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var fromUtc = from.ToUniversalTime();
        var toUtc = to.ToUniversalTime();
        var rows = await db.Database.SqlQuery<RawRow>($"""
            WITH r AS (
                SELECT dr."Id", dr."PlatformId", dr."RequestedAt", dr."Outcome", dr."VerifiedGoneAt" AS "GoneAt",
                       (dr."Outcome" = 'Deleted' OR dr."VerifiedGoneAt" IS NOT NULL) AS "Removed", dr."ReappearedAt"
                FROM "DeletionRequests" dr
                WHERE dr."RequestedAt" >= {fromUtc} AND dr."RequestedAt" < {toUtc}
            )
            SELECT p."Id" AS "PlatformId", p."Name" AS "PlatformName",
                count(r."Id")::int AS "Requests",
                (count(*) FILTER (WHERE r."Outcome" = 'Deleted'))::int AS "Deleted",
                (count(*) FILTER (WHERE r."Outcome" = 'Refused'))::int AS "Refused",
                (count(*) FILTER (WHERE r."Outcome" = 'NoResponse'))::int AS "NoResponse",
                (count(r."Id") FILTER (WHERE r."Outcome" IS NULL))::int AS "Open",
                count(r."GoneAt")::int AS "VerifiedGone",
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r."GoneAt" - r."RequestedAt")::float8) AS "MedianSeconds",
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r."GoneAt" - r."RequestedAt")::float8) AS "P90Seconds",
                (count(*) FILTER (WHERE r."Removed"))::int AS "Removed",
                (count(*) FILTER (WHERE r."Removed" AND r."ReappearedAt" IS NOT NULL))::int AS "ReappearedAfterRemoval"
            FROM "Platforms" p
            LEFT JOIN r ON r."PlatformId" = p."Id"
            GROUP BY p."Id", p."Name"
            ORDER BY p."Name"
            """).ToListAsync(cancellationToken);
        return rows.Select(r => new PlatformStatisticsRow(r.PlatformId, r.PlatformName, r.Requests, r.Deleted, r.Refused, r.NoResponse, r.Open, r.VerifiedGone,
            r.MedianSeconds is { } m ? TimeSpan.FromSeconds(m) : null, r.P90Seconds is { } p ? TimeSpan.FromSeconds(p) : null,
            r.Removed, r.ReappearedAfterRemoval)).ToList();
    }

    internal sealed class RawRow
    {
        public int PlatformId { get; set; }
        public string PlatformName { get; set; } = "";
        public int Requests { get; set; }
        public int Deleted { get; set; }
        public int Refused { get; set; }
        public int NoResponse { get; set; }
        public int Open { get; set; }
        public int VerifiedGone { get; set; }
        public double? MedianSeconds { get; set; }
        public double? P90Seconds { get; set; }
        public int Removed { get; set; }
        public int ReappearedAfterRemoval { get; set; }
    }
}
