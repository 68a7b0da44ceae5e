using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Monitoring;

/// <summary>An address to put in the queue.</summary>
public sealed record WorkToQueue(MonitoringWorkKind Kind, string Address, string HostKey, int? SourceId, int Depth);

/// <summary>Work a worker holds: only its <see cref="LeaseToken"/> completes, extends or fails it.</summary>
public sealed record LeasedWork(long Id, MonitoringWorkKind Kind, string Address, string HostKey, int? SourceId, int Depth, int Attempts, Guid LeaseToken, DateTimeOffset LeasedUntil);

/// <summary>How hard the work queue may press one host: a pause between two leases and leases out at once.</summary>
public sealed record HostLimits(string HostKey, TimeSpan MinimumDelay, int MaxConcurrency);

/// <summary>What is in the queue: waiting (due or not yet), leased, parked.</summary>
public sealed record QueueCounts(int Waiting, int Leased, int Parked);

/// <summary>Settings of the queue itself (part of <see cref="MonitoringOptions"/>).</summary>
public sealed record QueueSettings(TimeSpan LeaseDuration, int MaxAttempts, TimeSpan RetryBaseDelay, TimeSpan RetryMaxDelay)
{
    public static QueueSettings Default { get; } = new(TimeSpan.FromMinutes(2), 5, TimeSpan.FromMinutes(1), TimeSpan.FromHours(6));
}

/// <summary>
/// The monitoring work queue in PostgreSQL. Taking work is one statement: the host whose turn it is (its
/// <c>NextAllowedAt</c> passed, fewer than its limit of leases out) is locked with <c>FOR UPDATE SKIP LOCKED</c>,
/// its oldest due item is leased with a fresh token, and the host's next turn moves on by its delay; a second
/// worker skips what the first holds, so no item is leased twice and one busy host cannot starve the others.
/// Nothing is held locked while the work runs: a crashed worker's lease runs out and the item is taken again.
/// Completing, extending and failing need the lease's token (a late worker whose lease was re-taken changes
/// nothing). A failure retries with growing delays and is parked, visibly, after too many attempts.
/// Times come from the <see cref="TimeProvider"/>, so tests move the clock instead of waiting.
/// </summary>
public sealed class WorkQueue(PortalDbContext db, TimeProvider clock, QueueSettings settings)
{
    public static readonly HostLimits DefaultLimits = new("", TimeSpan.FromSeconds(1), 1);

    /// <summary>Creates the host's row or updates its limits (a source's settings changed).</summary>
    public async Task SetHostLimitsAsync(HostLimits limits, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync("""
            INSERT INTO "MonitoredHosts" ("HostKey", "NextAllowedAt", "MinimumDelay", "MaxConcurrency") VALUES (@host, @now, @delay, @concurrency)
            ON CONFLICT ("HostKey") DO UPDATE SET "MinimumDelay" = excluded."MinimumDelay", "MaxConcurrency" = excluded."MaxConcurrency"
            """, cancellationToken);
        Add(command, "host", limits.HostKey);
        Add(command, "now", clock.GetUtcNow());
        Add(command, "delay", limits.MinimumDelay);
        Add(command, "concurrency", limits.MaxConcurrency);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Queues the addresses not already waiting or in hand for the same kind of work (one statement); hosts met for the
    /// first time get <paramref name="newHosts"/> (the default limits when not given); known hosts keep theirs.
    /// Returns how many were queued.
    /// </summary>
    public async Task<int> EnqueueAsync(IReadOnlyCollection<WorkToQueue> work, DateTimeOffset notBefore, CancellationToken cancellationToken, HostLimits? newHosts = null)
    {
        if (work.Count == 0) return 0;
        await using var command = await CommandAsync("""
            WITH hosts AS (
                INSERT INTO "MonitoredHosts" ("HostKey", "NextAllowedAt", "MinimumDelay", "MaxConcurrency")
                SELECT DISTINCT h, @now, @delay, @concurrency FROM unnest(@hosts) AS h
                ON CONFLICT ("HostKey") DO NOTHING
            )
            INSERT INTO "MonitoringWork" ("Kind", "Address", "HostKey", "SourceId", "Depth", "Attempts", "CreatedAt", "NotBefore")
            SELECT k, a, h, s, d, 0, @now, @notBefore FROM unnest(@kinds, @addresses, @hosts, @sources, @depths) AS t(k, a, h, s, d)
            ON CONFLICT ("Kind", "Address") WHERE "DeadAt" IS NULL DO NOTHING
            """, cancellationToken);
        Add(command, "now", clock.GetUtcNow());
        Add(command, "notBefore", notBefore);
        Add(command, "delay", (newHosts ?? DefaultLimits).MinimumDelay);
        Add(command, "concurrency", (newHosts ?? DefaultLimits).MaxConcurrency);
        Add(command, "kinds", work.Select(w => w.Kind.ToString()).ToArray());
        Add(command, "addresses", work.Select(w => w.Address).ToArray());
        Add(command, "hosts", work.Select(w => w.HostKey).ToArray());
        command.Parameters.Add(new NpgsqlParameter("sources", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = work.Select(w => w.SourceId).ToArray() });
        Add(command, "depths", work.Select(w => w.Depth).ToArray());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Leases the next item of the host whose turn it is; null when nothing is due anywhere.</summary>
    public async Task<LeasedWork?> TakeAsync(CancellationToken cancellationToken) =>
        await TakeBatchAsync(1, cancellationToken) is [var first, ..] ? first : null;

    /// <summary>
    /// Leases up to <paramref name="max"/> items in one statement, from the hosts whose turn it is, oldest turn first:
    /// one item a host and turn, or as many as its free leases allow for a host without a pause between requests.
    /// Crawl pages, media and link checks of one host wait in one line, in the order they became due. Empty when
    /// nothing is due anywhere.
    /// </summary>
    public async Task<IReadOnlyList<LeasedWork>> TakeBatchAsync(int max, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await ParkExhaustedAsync(now, cancellationToken);
        // A host locked by another worker is skipped; when that worker took the last due items of the hosts it chose,
        // the statement finds nothing although other hosts may have work: try again a few times.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var until = now + settings.LeaseDuration;
            await using var command = await CommandAsync("""
                WITH host AS (
                    SELECT h."HostKey", h."MinimumDelay", h."NextAllowedAt",
                           h."MaxConcurrency" - (SELECT count(*) FROM "MonitoringWork" w WHERE w."HostKey" = h."HostKey" AND w."DeadAt" IS NULL
                                                   AND w."LeasedUntil" > @now) AS "Free"
                    FROM "MonitoredHosts" h
                    WHERE h."NextAllowedAt" <= @now
                      AND EXISTS (SELECT 1 FROM "MonitoringWork" w WHERE w."HostKey" = h."HostKey" AND w."DeadAt" IS NULL
                                    AND w."NotBefore" <= @now AND (w."LeasedUntil" IS NULL OR w."LeasedUntil" <= @now))
                      AND (SELECT count(*) FROM "MonitoringWork" w WHERE w."HostKey" = h."HostKey" AND w."DeadAt" IS NULL
                                    AND w."LeasedUntil" > @now) < h."MaxConcurrency"
                    ORDER BY h."NextAllowedAt", h."HostKey"
                    LIMIT @max
                    FOR UPDATE OF h SKIP LOCKED
                ), item AS (
                    SELECT x."Id", host."HostKey" FROM host CROSS JOIN LATERAL (
                        SELECT w."Id" FROM "MonitoringWork" w
                        WHERE w."HostKey" = host."HostKey" AND w."DeadAt" IS NULL AND w."NotBefore" <= @now
                          AND (w."LeasedUntil" IS NULL OR w."LeasedUntil" <= @now)
                        ORDER BY w."NotBefore", w."Id"
                        LIMIT CASE WHEN host."MinimumDelay" = interval '0' THEN LEAST(host."Free", @max) ELSE 1 END
                        FOR UPDATE OF w SKIP LOCKED
                    ) x
                    ORDER BY host."NextAllowedAt", host."HostKey", x."Id"
                    LIMIT @max
                ), turn AS (
                    UPDATE "MonitoredHosts" h SET "NextAllowedAt" = @now + host."MinimumDelay"
                    FROM host WHERE h."HostKey" = host."HostKey" AND EXISTS (SELECT 1 FROM item WHERE item."HostKey" = host."HostKey")
                )
                UPDATE "MonitoringWork" w SET "LeasedUntil" = @until, "LeaseToken" = gen_random_uuid(), "Attempts" = w."Attempts" + 1
                FROM item WHERE w."Id" = item."Id"
                RETURNING w."Id", w."Kind", w."Address", w."HostKey", w."SourceId", w."Depth", w."Attempts", w."LeaseToken"
                """, cancellationToken);
            Add(command, "now", now);
            Add(command, "until", until);
            Add(command, "max", Math.Max(1, max));
            var taken = new List<LeasedWork>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    taken.Add(new LeasedWork(reader.GetInt64(0), Enum.Parse<MonitoringWorkKind>(reader.GetString(1)), reader.GetString(2), reader.GetString(3),
                        reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetGuid(7), until));
                }
            }
            if (taken.Count > 0) return taken.OrderBy(w => w.Id).ToList();
            if (!await AnyDueAsync(now, cancellationToken)) return [];
        }
        return [];
    }

    /// <summary>
    /// When the next waiting item may be taken (its host's turn and its own time both come), or null when nothing waits.
    /// A host with all its leases out is left aside: its turn gives nothing until one of them ends. Lets a worker sleep
    /// exactly until then instead of a whole poll interval.
    /// </summary>
    public async Task<DateTimeOffset?> NextTurnAsync(CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync("""
            SELECT min(GREATEST(h."NextAllowedAt", waiting."NotBefore"))
            FROM "MonitoredHosts" h CROSS JOIN LATERAL (
                SELECT min(w."NotBefore") AS "NotBefore" FROM "MonitoringWork" w
                WHERE w."HostKey" = h."HostKey" AND w."DeadAt" IS NULL AND (w."LeasedUntil" IS NULL OR w."LeasedUntil" <= @now)
            ) waiting
            WHERE waiting."NotBefore" IS NOT NULL
              AND (SELECT count(*) FROM "MonitoringWork" w WHERE w."HostKey" = h."HostKey" AND w."DeadAt" IS NULL AND w."LeasedUntil" > @now) < h."MaxConcurrency"
            """, cancellationToken);
        Add(command, "now", clock.GetUtcNow());
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    /// <summary>Done: the item leaves the queue. False when the lease was lost (expired and taken by another worker).</summary>
    public async Task<bool> CompleteAsync(LeasedWork work, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync("""DELETE FROM "MonitoringWork" WHERE "Id" = @id AND "LeaseToken" = @token""", cancellationToken);
        Add(command, "id", work.Id);
        Add(command, "token", work.LeaseToken);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>More time for long work; false when the lease was lost.</summary>
    public async Task<bool> ExtendAsync(LeasedWork work, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync("""UPDATE "MonitoringWork" SET "LeasedUntil" = @until WHERE "Id" = @id AND "LeaseToken" = @token""", cancellationToken);
        Add(command, "id", work.Id);
        Add(command, "token", work.LeaseToken);
        Add(command, "until", clock.GetUtcNow() + settings.LeaseDuration);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// A failure worth trying again (a timeout, a 503): back in the queue after a delay that grows with each attempt,
    /// or parked with its reason once the attempts are used up. False when the lease was lost.
    /// </summary>
    public Task<bool> FailAsync(LeasedWork work, string reason, CancellationToken cancellationToken) =>
        ReleaseAsync(work, reason, park: work.Attempts >= settings.MaxAttempts, cancellationToken);

    /// <summary>Work that must not be tried again (a 50 MB page, a "picture" that is HTML): parked with its reason.</summary>
    public Task<bool> ParkAsync(LeasedWork work, string reason, CancellationToken cancellationToken) =>
        ReleaseAsync(work, reason, park: true, cancellationToken);

    /// <summary>The delay before attempt <paramref name="attempts"/> + 1: the base, times four per attempt made, capped.</summary>
    public TimeSpan RetryDelay(int attempts) => RetryBackoff.Delay(settings.RetryBaseDelay, settings.RetryMaxDelay, attempts);

    public async Task<QueueCounts> CountsAsync(CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync("""
            SELECT count(*) FILTER (WHERE "DeadAt" IS NULL AND ("LeasedUntil" IS NULL OR "LeasedUntil" <= @now)),
                   count(*) FILTER (WHERE "DeadAt" IS NULL AND "LeasedUntil" > @now),
                   count(*) FILTER (WHERE "DeadAt" IS NOT NULL)
            FROM "MonitoringWork"
            """, cancellationToken);
        Add(command, "now", clock.GetUtcNow());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new QueueCounts((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2));
    }

    private async Task<bool> ReleaseAsync(LeasedWork work, string reason, bool park, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var command = await CommandAsync("""
            UPDATE "MonitoringWork" SET "LeasedUntil" = NULL, "LeaseToken" = NULL, "LastError" = @reason, "NotBefore" = @retryAt,
                "DeadAt" = CASE WHEN @park THEN @now END
            WHERE "Id" = @id AND "LeaseToken" = @token
            """, cancellationToken);
        Add(command, "id", work.Id);
        Add(command, "token", work.LeaseToken);
        Add(command, "reason", reason.Length > 100 ? reason[..100] : reason);
        Add(command, "retryAt", now + RetryDelay(work.Attempts));
        Add(command, "park", park);
        Add(command, "now", now);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Work whose worker keeps dying on it (leases run out with every attempt used) is parked, not retried forever.</summary>
    private async Task ParkExhaustedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync("""
            UPDATE "MonitoringWork" SET "DeadAt" = @now, "LastError" = 'lease-expired', "LeasedUntil" = NULL, "LeaseToken" = NULL
            WHERE "DeadAt" IS NULL AND "LeasedUntil" <= @now AND "Attempts" >= @max
            """, cancellationToken);
        Add(command, "now", now);
        Add(command, "max", settings.MaxAttempts);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<bool> AnyDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync("""
            SELECT EXISTS (SELECT 1 FROM "MonitoringWork" w JOIN "MonitoredHosts" h ON h."HostKey" = w."HostKey"
                           WHERE w."DeadAt" IS NULL AND w."NotBefore" <= @now AND (w."LeasedUntil" IS NULL OR w."LeasedUntil" <= @now)
                             AND h."NextAllowedAt" <= @now)
            """, cancellationToken);
        Add(command, "now", now);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private Task<DbCommand> CommandAsync(string sql, CancellationToken cancellationToken) => db.Database.CommandAsync(sql, cancellationToken);

    private static void Add<T>(DbCommand command, string name, T value) =>
        command.Parameters.Add(new NpgsqlParameter<T>(name, value));
}
