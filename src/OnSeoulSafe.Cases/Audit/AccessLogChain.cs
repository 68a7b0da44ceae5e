using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Audit;

public enum ChainBreakKind
{
    /// <summary>A seal number is missing: the chain has a gap.</summary>
    SealMissing,

    /// <summary>A seal does not continue the hash of the seal before it: the seal table was rewritten.</summary>
    LinkMismatch,

    /// <summary>The sealed entry is gone from the access log.</summary>
    EntryMissing,

    /// <summary>The sealed entry's fields no longer give the sealed hash: it was changed.</summary>
    EntryChanged,

    /// <summary>A seal without the key follows keyed seals: the tail of the chain was recomputed without the key.</summary>
    NotKeyed,

    /// <summary>The chain no longer reaches a head published in the checkpoint file: it was rewritten or cut short.</summary>
    CheckpointMismatch,

    /// <summary>A line of the checkpoint file does not carry a valid signature.</summary>
    CheckpointInvalid,
}

public sealed record ChainBreak(long SealNumber, long EntryId, ChainBreakKind Kind);

/// <summary>What the auditor sees: how far the chain is unbroken, the first break, and entries left outside the chain.</summary>
public sealed record ChainReport(
    long UnbrokenThrough,
    DateTimeOffset? UnbrokenThroughSealedAt,
    byte[]? LastHash,
    ChainBreak? Break,
    int UnsealedOlderEntries,
    long? FirstUnsealedEntryId)
{
    public bool IsUnbroken => Break is null && UnsealedOlderEntries == 0;
}

/// <summary>
/// The access log's hash chain. Writing a log row never waits for the chain: a separate sealing pass (a background
/// job every few seconds, or the auditor's verify page) takes the settled, unsealed rows in id order and appends one
/// seal per row, each an HMAC, under a key the database does not hold (<see cref="SealKey"/>), of the previous seal's
/// hash, its own number and the row's fields. Passes of several portal instances take turns on a transaction-scoped
/// advisory lock. After each pass the new head (number and hash, signed with a key derived from the seal key) is
/// appended to the checkpoint file (<see cref="AuditOptions.CheckpointFile"/>), outside the database: whoever owns
/// the tables can neither recompute keyed seals nor make a rewritten chain reach a published head again.
/// </summary>
public sealed class AccessLogChain(PortalDbContext db, TimeProvider clock, IOptions<AuditOptions> options, SealKey key)
{
    /// <summary>Arbitrary constant naming the sealer's advisory lock.</summary>
    private const long SealLock = 0x4F53535F5345414C; // "OSS_SEAL"

    public static readonly byte[] Genesis = new byte[32];

    /// <summary>Seals every settled entry not yet in the chain; returns how many were sealed.</summary>
    /// <param name="everything">Look at the whole log, not only the recent <see cref="AuditOptions.SealLookback"/>.</param>
    public async Task<int> SealAsync(bool everything, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var total = 0;
        while (true)
        {
            var strategy = db.Database.CreateExecutionStrategy();
            var sealedNow = await strategy.ExecuteAsync(ct => SealBatchAsync(settings, everything, ct), cancellationToken);
            total += sealedNow;
            if (sealedNow < settings.SealBatchSize) return total;
        }
    }

    private async Task<int> SealBatchAsync(AuditOptions settings, bool everything, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({SealLock})", cancellationToken);
        var now = clock.GetUtcNow();
        var settledBefore = now - settings.SettleTime;
        var since = everything ? DateTimeOffset.MinValue : now - settings.SealLookback;
        var entries = await db.AccessLog.AsNoTracking()
            .Where(e => e.At < settledBefore && e.At >= since)
            .Where(e => !db.AccessLogSeals.Any(s => s.EntryId == e.Id))
            .OrderBy(e => e.Id)
            .Take(settings.SealBatchSize)
            .ToListAsync(cancellationToken);
        if (entries.Count == 0) return 0;

        var last = await db.AccessLogSeals.AsNoTracking()
            .OrderByDescending(s => s.SealNumber)
            .Select(s => new { s.SealNumber, s.Hash })
            .FirstOrDefaultAsync(cancellationToken);
        var number = last?.SealNumber ?? 0;
        var previous = last?.Hash ?? Genesis;
        foreach (var entry in entries)
        {
            number++;
            var hash = KeyedLink(key, previous, number, entry);
            db.AccessLogSeals.Add(new AccessLogSeal(number, entry.Id, previous, hash, now, keyed: true));
            previous = hash;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await SealCheckpoints.AppendAsync(settings.CheckpointFile, key, number, previous, now, cancellationToken);
        return entries.Count;
    }

    /// <summary>Recomputes the whole chain from the first seal and looks for settled entries left outside it.</summary>
    public async Task<ChainReport> VerifyAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var links =
            from s in db.AccessLogSeals.AsNoTracking()
            join e in db.AccessLog.AsNoTracking() on s.EntryId equals e.Id into matching
            from e in matching.DefaultIfEmpty()
            orderby s.SealNumber
            select new { Seal = s, Entry = e };

        var (published, invalidLine) = await SealCheckpoints.ReadAsync(settings.CheckpointFile, key, cancellationToken);
        long through = 0;
        DateTimeOffset? throughAt = null;
        var previous = Genesis;
        var keyedSeen = false;
        ChainBreak? broken = invalidLine is { } line ? new ChainBreak(line, 0, ChainBreakKind.CheckpointInvalid) : null;
        if (broken is null)
        {
            await foreach (var link in links.AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                var seal = link.Seal;
                keyedSeen |= seal.Keyed;
                broken =
                    seal.SealNumber != through + 1 ? new ChainBreak(through + 1, 0, ChainBreakKind.SealMissing)
                    : keyedSeen && !seal.Keyed ? new ChainBreak(seal.SealNumber, seal.EntryId, ChainBreakKind.NotKeyed)
                    : !CryptographicOperations.FixedTimeEquals(seal.PreviousHash, previous) ? new ChainBreak(seal.SealNumber, seal.EntryId, ChainBreakKind.LinkMismatch)
                    : link.Entry is null ? new ChainBreak(seal.SealNumber, seal.EntryId, ChainBreakKind.EntryMissing)
                    : !CryptographicOperations.FixedTimeEquals(seal.Keyed ? KeyedLink(key, previous, seal.SealNumber, link.Entry) : Link(previous, seal.SealNumber, link.Entry), seal.Hash)
                        ? new ChainBreak(seal.SealNumber, seal.EntryId, ChainBreakKind.EntryChanged)
                    : published.TryGetValue(seal.SealNumber, out var head) && !CryptographicOperations.FixedTimeEquals(head, seal.Hash)
                        ? new ChainBreak(seal.SealNumber, seal.EntryId, ChainBreakKind.CheckpointMismatch)
                    : null;
                if (broken is not null) break;
                through = seal.SealNumber;
                throughAt = seal.SealedAt;
                previous = seal.Hash;
            }
            // Seals cut off the end: the chain stops short of a head that was published.
            if (broken is null && published.Count > 0 && published.Keys.Max() > through)
            {
                broken = new ChainBreak(published.Keys.Max(), 0, ChainBreakKind.CheckpointMismatch);
            }
        }

        var overdue = clock.GetUtcNow() - settings.SettleTime - settings.UnsealedGrace;
        var unsealed = db.AccessLog.AsNoTracking().Where(e => e.At < overdue && !db.AccessLogSeals.Any(s => s.EntryId == e.Id));
        var unsealedCount = await unsealed.CountAsync(cancellationToken);
        long? firstUnsealed = unsealedCount == 0 ? null : await unsealed.MinAsync(e => e.Id, cancellationToken);
        return new ChainReport(through, throughAt, through == 0 ? null : previous, broken, unsealedCount, firstUnsealed);
    }

    /// <summary>
    /// HMAC-SHA256 under the seal key of what <see cref="Link"/> hashes, and the account an entry concerns: without
    /// the key nobody, the database's owner included, can compute a seal for a changed entry.
    /// </summary>
    public static byte[] KeyedLink(SealKey key, byte[] previous, long sealNumber, AccessLogEntry entry)
    {
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.ChainKey);
        AppendLink(mac, previous, sealNumber, entry);
        AppendText(mac, entry.SubjectStaffId?.ToString("D"));
        return mac.GetHashAndReset();
    }

    /// <summary>SHA-256(previous hash || seal number || the entry's fields, each length-prefixed so no two entries read alike): seals from before keying.</summary>
    public static byte[] Link(byte[] previous, long sealNumber, AccessLogEntry entry)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendLink(sha, previous, sealNumber, entry);
        return sha.GetHashAndReset();
    }

    private static void AppendLink(IncrementalHash sha, byte[] previous, long sealNumber, AccessLogEntry entry)
    {
        sha.AppendData(previous);
        AppendNumber(sha, sealNumber);
        AppendNumber(sha, entry.Id);
        // PostgreSQL keeps microseconds: the hash covers exactly what the database can give back.
        AppendNumber(sha, entry.At.UtcTicks / 10);
        AppendText(sha, entry.StaffId?.ToString("D"));
        AppendText(sha, entry.ActorRole);
        AppendText(sha, entry.CaseId?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AppendText(sha, entry.Action.ToString());
        AppendText(sha, entry.What);
        AppendText(sha, entry.Reason);
    }

    private static void AppendNumber(IncrementalHash sha, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        sha.AppendData(bytes);
    }

    private static void AppendText(IncrementalHash sha, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            sha.AppendData(length);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        sha.AppendData(length);
        sha.AppendData(bytes);
    }
}
