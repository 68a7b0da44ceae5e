using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Deletion;

/// <summary>One hash of a submitted file, ready for a <see cref="HashBankEntry"/> of whoever owns it.</summary>
public sealed record BankHash(HashKind Kind, byte[] Hash, int? Quality, Guid? VideoGroup, int? FrameSecond);

/// <summary>What the companion's ledger shows of one bank entry (a video's frames as one line): never a picture.</summary>
public sealed record BankLine(HashKind Kind, string HashPrefix, int Count, int? MinQuality, int? MaxQuality, HashSupplier SuppliedBy, DateTimeOffset AddedAt);

/// <summary>The hash bank: from submitted hashes to bank entries, and a case's entries as its ledger shows them.</summary>
public static class HashBank
{
    /// <summary>Every hash of a well-formed submitted file: its SHA-256, its picture PDQ, and its frames (one video group).</summary>
    public static IEnumerable<BankHash> Hashes(SubmittedHash hash)
    {
        yield return new BankHash(HashKind.Sha256, Convert.FromHexString(hash.Sha256!), null, null, null);
        if (hash.Pdq is not null)
        {
            yield return new BankHash(HashKind.PdqImage, Convert.FromHexString(hash.Pdq), hash.PdqQuality, null, null);
        }
        if (VideoFrameHashes.Parse(hash.Frames) is { } frames)
        {
            var group = Guid.CreateVersion7();
            for (var second = 0; second < frames.Count; second++)
            {
                yield return new BankHash(HashKind.PdqVideoFrame, frames[second].Hash, frames[second].Quality, group, second);
            }
        }
    }

    /// <summary>The hashes of a copy a monitor kept, saved with their report.</summary>
    public static void AddForMonitorReport(PortalDbContext db, MonitorReport report, SubmittedHash? hash, DateTimeOffset now)
    {
        if (hash is null || !hash.IsWellFormed()) return;
        db.HashBankEntries.AddRange(Hashes(hash).Select(h => new HashBankEntry(report, h.Kind, h.Hash, h.Quality, h.VideoGroup, h.FrameSecond, now)));
    }

    /// <summary>Reports linked to a case bring their hashes to it (in the caller's save).</summary>
    public static async Task AssignMonitorReportsAsync(PortalDbContext db, IReadOnlyCollection<long> reportIds, long caseId, CancellationToken cancellationToken)
    {
        foreach (var entry in await db.HashBankEntries.Where(e => e.MonitorReportId != null && reportIds.Contains(e.MonitorReportId.Value)).ToListAsync(cancellationToken))
        {
            entry.AssignToCase(caseId);
        }
    }

    /// <summary>Dismissed reports' hashes leave the bank (in the caller's save).</summary>
    public static async Task ForgetMonitorReportsAsync(PortalDbContext db, IReadOnlyCollection<long> reportIds, CancellationToken cancellationToken) =>
        db.HashBankEntries.RemoveRange(await db.HashBankEntries.Where(e => e.MonitorReportId != null && reportIds.Contains(e.MonitorReportId.Value)).ToListAsync(cancellationToken));

    /// <summary>A case's bank as the ledger lists it: pictures and SHA-256 one per line, each video as one line.</summary>
    public static async Task<IReadOnlyList<BankLine>> LinesAsync(PortalDbContext db, long caseId, CancellationToken cancellationToken)
    {
        var entries = await db.HashBankEntries.AsNoTracking().Where(e => e.CaseId == caseId)
            .OrderBy(e => e.Id)
            .Select(e => new { e.Id, e.Kind, e.Hash, e.Quality, e.VideoGroup, e.SuppliedBy, e.AddedAt })
            .ToListAsync(cancellationToken);
        return entries
            .GroupBy(e => e.VideoGroup ?? Guid.Empty, e => e)
            .SelectMany(g => g.Key == Guid.Empty ? g.Select(e => new[] { e }) : [g.ToArray()])
            .OrderBy(group => group[0].Id)
            .Select(group => new BankLine(group[0].Kind, Convert.ToHexStringLower(group[0].Hash)[..16], group.Length,
                group.Min(e => (int?)e.Quality), group.Max(e => (int?)e.Quality), group[0].SuppliedBy, group[0].AddedAt))
            .ToList();
    }
}
