using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OnSeoulSafe.Hashing;
using OnSeoulSafe.Hashing.Index;

namespace OnSeoulSafe.Cases.Matching;

/// <summary>Settings of the index's sync loop.</summary>
public sealed record HashBankIndexSettings(string ConnectionString)
{
    /// <summary>Without a notification, the bank is still tailed this often (a safety net).</summary>
    public TimeSpan SafetyInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait before reconnecting after the listening connection failed.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Rows read per query when loading by id range.</summary>
    public int LoadBatch { get; init; } = 50_000;
}

/// <summary>
/// Keeps <see cref="HashBankIndex"/> in step with the hash bank. On a dedicated connection it first LISTENs on
/// <c>hash_bank</c> (the bank's trigger announces "INSERT id" and "DELETE id" on commit), then loads the whole bank by id
/// ranges, so nothing committed in between is missed. Then: a DELETE removes the id; an INSERT, or
/// <see cref="HashBankIndexSettings.SafetyInterval"/> without news, reads the announced ids and every id above the last
/// seen (an id committed late is named by its notification). A lost connection is reopened and the bank loaded afresh,
/// since deletions announced meanwhile were not heard. Several portal instances each run their own.
/// </summary>
public sealed partial class HashBankIndexSync(HashBankIndex index, HashBankIndexSettings settings, TimeProvider clock, ILogger<HashBankIndexSync> logger)
    : BackgroundService
{
    public const string Channel = "hash_bank";

    private const string Reliable = """("Kind" = 'PdqImage' OR "Kind" = 'PdqVideoFrame') AND "Quality" >= """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The type only: nothing about the bank's content.
                LogSyncFailed(logger, e.GetType().Name);
                await Task.Delay(settings.RetryAfter, clock, stoppingToken);
            }
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var inserted = new HashSet<long>();
        var deleted = new HashSet<long>();
        await using var listener = new NpgsqlConnection(settings.ConnectionString);
        await listener.OpenAsync(cancellationToken);
        listener.Notification += (_, e) =>
        {
            var parts = e.Payload.Split(' ');
            if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return;
            if (parts[0] == "DELETE") deleted.Add(id);
            else if (parts[0] == "INSERT") inserted.Add(id);
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }
        await LoadAllAsync(cancellationToken);
        while (true)
        {
            // Notifications are raised inside WaitAsync, on this loop: nothing else touches the two sets.
            await listener.WaitAsync(settings.SafetyInterval, cancellationToken);
            var gone = deleted.ToList();
            var named = inserted.Where(id => !deleted.Contains(id)).ToList();
            deleted.Clear();
            inserted.Clear();
            // Deletions first: the reads below see the bank as it is now, so a deleted row cannot come back.
            index.Remove(gone);
            index.Upsert(await ReadAsync(named, index.LastSeenId, cancellationToken));
            index.RaiseChanged();
        }
    }

    /// <summary>The whole bank, by id ranges, into a fresh index that replaces the old one.</summary>
    internal async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var entries = new List<PdqIndexEntry>();
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        long after = 0;
        while (true)
        {
            var batch = await ReadRangeAsync(connection, after, settings.LoadBatch, cancellationToken);
            entries.AddRange(batch);
            if (batch.Count < settings.LoadBatch) break;
            after = batch[^1].Id;
        }
        var last = entries.Count == 0 ? 0 : entries[^1].Id;
        index.Replace(entries, last);
        LogLoaded(logger, entries.Count, watch.ElapsedMilliseconds);
    }

    private async Task<List<PdqIndexEntry>> ReadAsync(IReadOnlyList<long> named, long after, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var rows = await ReadRangeAsync(connection, after, limit: null, cancellationToken);
        var late = named.Where(id => id <= after).ToArray();
        if (late.Length == 0) return rows;
        await using var command = new NpgsqlCommand($"""SELECT "Id", "Hash" FROM "HashBankEntries" WHERE "Id" = ANY(@ids) AND {Reliable}{Pdq.MinQuality}""", connection);
        command.Parameters.AddWithValue("ids", late);
        rows.AddRange(await ReadEntriesAsync(command, cancellationToken));
        return rows;
    }

    private static async Task<List<PdqIndexEntry>> ReadRangeAsync(NpgsqlConnection connection, long after, int? limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""SELECT "Id", "Hash" FROM "HashBankEntries" WHERE "Id" > @after AND {Reliable}{Pdq.MinQuality} ORDER BY "Id" {(limit is null ? "" : "LIMIT @limit")}""",
            connection);
        command.Parameters.AddWithValue("after", after);
        if (limit is { } rows) command.Parameters.AddWithValue("limit", rows);
        return await ReadEntriesAsync(command, cancellationToken);
    }

    private static async Task<List<PdqIndexEntry>> ReadEntriesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<PdqIndexEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var hash = new byte[PdqHash.Bytes];
        while (await reader.ReadAsync(cancellationToken))
        {
            reader.GetBytes(1, 0, hash, 0, hash.Length);
            entries.Add(new PdqIndexEntry(reader.GetInt64(0), PdqHash.FromBytes(hash)));
        }
        return entries;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hash bank index loaded: {Entries} perceptual hashes in {Milliseconds} ms")]
    private static partial void LogLoaded(ILogger logger, int entries, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hash bank index sync failed, reconnecting: {ExceptionType}")]
    private static partial void LogSyncFailed(ILogger logger, string exceptionType);
}
