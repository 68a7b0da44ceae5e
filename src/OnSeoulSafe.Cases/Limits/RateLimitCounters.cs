using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using OnSeoulSafe.Cases.Data;

namespace OnSeoulSafe.Cases.Limits;

/// <summary>A partition of a shared limit and the attempts it may make in one window.</summary>
public readonly record struct LimitPartition(string Key, int PermitsPerWindow);

/// <summary>The answer for one attempt: allowed, or refused until the window ends.</summary>
public readonly record struct LimitVerdict(bool Allowed, TimeSpan RetryAfter)
{
    public static LimitVerdict Allow { get; } = new(true, TimeSpan.Zero);
}

/// <summary>
/// Fixed-window counters in PostgreSQL, shared by every portal instance. One attempt is one statement: every partition
/// it counts against is incremented by one <c>INSERT … ON CONFLICT … RETURNING</c>, and the attempt is refused when any
/// of them is past its limit. Windows are aligned to the clock, so instances agree on them; a counter whose window has
/// passed starts again at one. Refused attempts count too: hammering keeps a partition refused until it stops.
/// </summary>
public static class RateLimitCounters
{
    private const string CountSql =
        """
        INSERT INTO "RateLimitCounters" AS c ("Key", "WindowStart", "Hits", "ExpiresAt")
        SELECT k, @window, 1, @expires FROM unnest(@keys) AS k
        ON CONFLICT ("Key") DO UPDATE SET
            "Hits" = CASE WHEN c."WindowStart" < EXCLUDED."WindowStart" THEN 1 ELSE c."Hits" + 1 END,
            "WindowStart" = GREATEST(c."WindowStart", EXCLUDED."WindowStart"),
            "ExpiresAt" = GREATEST(c."ExpiresAt", EXCLUDED."ExpiresAt")
        RETURNING "Key", "Hits"
        """;

    public static DateTimeOffset WindowStart(DateTimeOffset now, TimeSpan window) =>
        new(now.UtcTicks - now.UtcTicks % window.Ticks, TimeSpan.Zero);

    /// <summary>Counts one attempt against every partition; refused when any is past its limit.</summary>
    public static async Task<LimitVerdict> CountAsync(PortalDbContext db, IReadOnlyCollection<LimitPartition> partitions, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (partitions.Count == 0) return LimitVerdict.Allow;
        var start = WindowStart(now, window);
        // One order for every statement, so two attempts on the same partitions never wait on each other in a circle.
        var keys = partitions.Select(p => p.Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var limits = partitions.GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(p => p.PermitsPerWindow), StringComparer.Ordinal);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = CountSql;
            command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys });
            command.Parameters.Add(new NpgsqlParameter("window", NpgsqlDbType.TimestampTz) { Value = start });
            command.Parameters.Add(new NpgsqlParameter("expires", NpgsqlDbType.TimestampTz) { Value = start + window });
            var allowed = true;
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetInt32(1) > limits[reader.GetString(0)]) allowed = false;
            }
            return allowed ? LimitVerdict.Allow : new LimitVerdict(false, start + window - now);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Removes counters whose window has ended; returns how many.</summary>
    public static Task<int> SweepAsync(PortalDbContext db, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RateLimitCounters.Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
}
