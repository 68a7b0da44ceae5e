using System.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Monitoring;

namespace OnSeoulSafe.Cases.Dashboard;

/// <summary>
/// What monitoring finds beside what people report: links first seen in the range by who found them; per platform,
/// the copies monitoring found, how many were requested and the median hours from found to the first request (the
/// notice), how many of those requests were verified gone and the median hours from request to verified gone; and
/// the copies monitoring found back online after their deletion.
/// </summary>
public sealed record MonitoringFigures(IReadOnlyDictionary<ContentFinder, long> FoundBy, IReadOnlyList<MonitoringPlatform> Platforms)
{
    public long FoundByMonitoring => FoundBy.GetValueOrDefault(ContentFinder.Monitoring);
    public long ReportedByPeople => FoundBy.Where(f => f.Key is ContentFinder.Victim or ContentFinder.CitizenMonitor or ContentFinder.Companion).Sum(f => f.Value);
    public long Reappeared => Platforms.Sum(p => p.Reappeared);
}

/// <summary>One platform's row (a null platform: addresses of no known platform).</summary>
public sealed record MonitoringPlatform(int? PlatformId, string? Platform, long Found, long Requested, double? MedianHoursToRequest, long VerifiedGone,
    double? MedianHoursToGone, long Reappeared);

/// <summary>
/// Reads <see cref="MonitoringFigures"/> from the ledger itself (content items, their first request, their history),
/// within the dashboard's month range (Korea time); the date columns it filters on are indexed.
/// </summary>
public sealed class MonitoringDashboard(PortalDbContext db)
{
    public async Task<MonitoringFigures> LoadAsync(DateOnly? fromMonth, DateOnly? toMonth, CancellationToken cancellationToken)
    {
        var from = fromMonth is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), DashboardFacts.KoreaOffset) : DateTimeOffset.MinValue.ToUniversalTime();
        var to = toMonth is { } t ? new DateTimeOffset(t.AddMonths(1).ToDateTime(TimeOnly.MinValue), DashboardFacts.KoreaOffset) : new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened) await connection.OpenAsync(cancellationToken);
        try
        {
            var foundBy = new Dictionary<ContentFinder, long>();
            await using (var command = Command(connection, """
                SELECT "FoundBy", count(*) FROM "ContentItems" WHERE "FirstSeenAt" >= @from AND "FirstSeenAt" < @to GROUP BY "FoundBy"
                """, from, to))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (Enum.TryParse<ContentFinder>(reader.GetString(0), out var finder)) foundBy[finder] = reader.GetInt64(1);
                }
            }

            var rows = new Dictionary<int, MonitoringPlatform>();
            await using (var command = Command(connection, """
                SELECT i."PlatformId", count(*),
                       count(r."RequestedAt"),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r."RequestedAt" - i."FirstSeenAt") / 3600.0),
                       count(r."VerifiedGoneAt"),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r."VerifiedGoneAt" - r."RequestedAt") / 3600.0)
                FROM "ContentItems" i
                LEFT JOIN LATERAL (
                    SELECT d."RequestedAt", d."VerifiedGoneAt" FROM "DeletionRequests" d WHERE d."ContentItemId" = i."Id"
                    ORDER BY d."RequestedAt", d."Id" LIMIT 1) r ON TRUE
                WHERE i."FoundBy" = 'Monitoring' AND i."FirstSeenAt" >= @from AND i."FirstSeenAt" < @to
                GROUP BY i."PlatformId"
                """, from, to))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var id = reader.IsDBNull(0) ? 0 : reader.GetInt32(0);
                    rows[id] = new MonitoringPlatform(reader.IsDBNull(0) ? null : id, null, reader.GetInt64(1), reader.GetInt64(2),
                        reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetDouble(5), 0);
                }
            }

            await using (var command = Command(connection, """
                SELECT e."PlatformId", count(*) FROM "ContentItemEvents" e
                WHERE e."To" = 'Reappeared' AND e."Note" = @note AND e."At" >= @from AND e."At" < @to
                GROUP BY e."PlatformId"
                """, from, to))
            {
                command.Parameters.AddWithValue("note", FoundCopies.ReappearedNote);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var id = reader.IsDBNull(0) ? 0 : reader.GetInt32(0);
                    var row = rows.GetValueOrDefault(id) ?? new MonitoringPlatform(reader.IsDBNull(0) ? null : id, null, 0, 0, null, 0, null, 0);
                    rows[id] = row with { Reappeared = reader.GetInt64(1) };
                }
            }

            var ids = rows.Keys.Where(k => k != 0).ToList();
            var names = await db.Platforms.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
            var platforms = rows.Values.Select(r => r with { Platform = r.PlatformId is { } id ? names.GetValueOrDefault(id) : null })
                .OrderByDescending(r => r.Found).ThenBy(r => r.Platform, StringComparer.Ordinal).ToList();
            return new MonitoringFigures(foundBy, platforms);
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, DateTimeOffset from, DateTimeOffset to)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("from", from.ToUniversalTime());
        command.Parameters.AddWithValue("to", to.ToUniversalTime());
        return command;
    }
}
