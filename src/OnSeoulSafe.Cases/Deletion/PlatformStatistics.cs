using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;

namespace OnSeoulSafe.Cases.Deletion;

/// <summary>
/// Deletion figures for one platform over a period (by the date a request was made). Times run from the request
/// to the link being verified gone by a re-check (before any later request of the same link).
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
    int ItemsRemoved,
    int ItemsReappeared)
{
    /// <summary>Share of removed links that came back online later; null when nothing was removed.</summary>
    public double? ReappearanceRate => ItemsRemoved == 0 ? null : (double)ItemsReappeared / ItemsRemoved;
}

/// <summary>Per-platform deletion statistics for the dashboards: one SQL round trip over indexed columns.</summary>
public sealed class PlatformStatistics(PortalDbContext db)
{
    /// <summary>One row per platform (platforms without requests in the period included, with zeros), by name.</summary>
    public async Task<IReadOnlyList<PlatformStatisticsRow>> ForPeriodAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var fromUtc = from.ToUniversalTime();
        var toUtc = to.ToUniversalTime();
        var rows = await db.Database.SqlQuery<RawRow>($"""
            WITH r AS (
                SELECT dr."Id", dr."PlatformId", dr."ContentItemId", dr."RequestedAt", dr."Outcome",
                    (SELECT min(e."At") FROM "ContentItemEvents" e
                      WHERE e."ContentItemId" = dr."ContentItemId" AND e."To" = 'VerifiedGone' AND e."At" >= dr."RequestedAt"
                        AND NOT EXISTS (SELECT 1 FROM "DeletionRequests" n
                                         WHERE n."ContentItemId" = dr."ContentItemId" AND n."RequestedAt" > dr."RequestedAt" AND n."RequestedAt" <= e."At")
                    ) AS "GoneAt"
                FROM "DeletionRequests" dr
                WHERE dr."RequestedAt" >= {fromUtc} AND dr."RequestedAt" < {toUtc}
            ), removed AS (
                SELECT DISTINCT r."PlatformId", r."ContentItemId", r."RequestedAt"
                FROM r WHERE r."Outcome" = 'Deleted' OR r."GoneAt" IS NOT NULL
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
                (SELECT count(DISTINCT m."ContentItemId") FROM removed m WHERE m."PlatformId" = p."Id")::int AS "ItemsRemoved",
                (SELECT count(DISTINCT m."ContentItemId") FROM removed m WHERE m."PlatformId" = p."Id"
                    AND EXISTS (SELECT 1 FROM "ContentItemEvents" x
                                 WHERE x."ContentItemId" = m."ContentItemId" AND x."To" = 'Reappeared' AND x."At" > m."RequestedAt"))::int AS "ItemsReappeared"
            FROM "Platforms" p
            LEFT JOIN r ON r."PlatformId" = p."Id"
            GROUP BY p."Id", p."Name"
            ORDER BY p."Name"
            """).ToListAsync(cancellationToken);
        return rows.Select(r => new PlatformStatisticsRow(r.PlatformId, r.PlatformName, r.Requests, r.Deleted, r.Refused, r.NoResponse, r.Open, r.VerifiedGone,
            r.MedianSeconds is { } m ? TimeSpan.FromSeconds(m) : null, r.P90Seconds is { } p ? TimeSpan.FromSeconds(p) : null,
            r.ItemsRemoved, r.ItemsReappeared)).ToList();
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
        public int ItemsRemoved { get; set; }
        public int ItemsReappeared { get; set; }
    }
}
