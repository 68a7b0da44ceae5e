using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Deletion;

/// <summary>A hash as posted by the hash-only evidence form (see Pages/Shared/_EvidenceHashes.cshtml).</summary>
public sealed record SubmittedHash
{
    public string? Sha256 { get; init; }
    public ContentKind Kind { get; init; } = ContentKind.Other;
    public long? SizeBytes { get; init; }
}

/// <summary>How many hashes were stored, how many were already on the case, and how many were not hashes at all.</summary>
public sealed record EvidenceHashesResult(int Added, int AlreadyKnown, int Rejected, int MatchesFlagged);

/// <summary>
/// Hash-only evidence: files the victim holds are hashed in their browser and only the SHA-256 reaches the portal.
/// The same hash on another case (evidence or a content item's file hash) flags both cases with a <see cref="HashMatch"/>
/// that never names the other case. Leaves <c>SaveChangesAsync</c> to the caller.
/// </summary>
public sealed class EvidenceHashes(PortalDbContext db, TimeProvider clock)
{
    public const int MaxPerSubmit = 50;

    public async Task<EvidenceHashesResult> AddAsync(long caseId, IEnumerable<SubmittedHash>? hashes, CancellationToken cancellationToken)
    {
        var submitted = (hashes ?? []).Take(MaxPerSubmit + 1).ToList();
        var valid = submitted
            .Where(h => EvidenceHash.IsSha256(h.Sha256) && h.SizeBytes is null or >= 0 && Enum.IsDefined(h.Kind))
            .GroupBy(h => h.Sha256!.ToLowerInvariant())
            .Select(g => g.First() with { Sha256 = g.Key })
            .Take(MaxPerSubmit)
            .ToList();
        var rejected = submitted.Count - submitted.Count(h => EvidenceHash.IsSha256(h.Sha256) && h.SizeBytes is null or >= 0 && Enum.IsDefined(h.Kind));
        // Most reports carry no file fingerprint: no round trip for them.
        if (valid.Count == 0) return new EvidenceHashesResult(0, 0, rejected, 0);
        var values = valid.Select(h => h.Sha256!).ToList();
        var known = await db.EvidenceHashes.Where(e => e.CaseId == caseId && values.Contains(e.Sha256)).Select(e => e.Sha256).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var fresh = valid.Where(h => !known.Contains(h.Sha256!)).ToList();
        foreach (var hash in fresh)
        {
            db.EvidenceHashes.Add(new EvidenceHash(caseId, hash.Sha256!, hash.Kind, hash.SizeBytes, now));
        }
        var flagged = 0;
        foreach (var sha in fresh.Select(h => h.Sha256!))
        {
            var otherCases = await OtherCasesHoldingAsync(sha, caseId, cancellationToken);
            if (otherCases.Count == 0) continue;
            flagged += await FlagAsync(caseId, sha, HashMatchSource.AnotherCase, now, cancellationToken);
            foreach (var other in otherCases)
            {
                flagged += await FlagAsync(other, sha, HashMatchSource.AnotherCase, now, cancellationToken);
            }
        }
        return new EvidenceHashesResult(fresh.Count, known.Count, rejected, flagged);
    }

    /// <summary>Cases other than <paramref name="exceptCaseId"/> that hold this file: as evidence or as a content item's hash.</summary>
    public async Task<IReadOnlyList<long>> OtherCasesHoldingAsync(string sha256, long? exceptCaseId, CancellationToken cancellationToken)
    {
        var fromEvidence = await db.EvidenceHashes.Where(e => e.Sha256 == sha256 && e.CaseId != exceptCaseId).Select(e => e.CaseId).ToListAsync(cancellationToken);
        var fromItems = await db.ContentItems.Where(c => c.Sha256 == sha256 && c.CaseId != null && c.CaseId != exceptCaseId).Select(c => c.CaseId!.Value).ToListAsync(cancellationToken);
        return fromEvidence.Concat(fromItems).Distinct().ToList();
    }

    /// <summary>Adds a flag unless the case already has one for this file and source; returns 1 when added.</summary>
    public async Task<int> FlagAsync(long caseId, string sha256, HashMatchSource source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var exists = db.HashMatches.Local.Any(m => m.CaseId == caseId && m.Sha256 == sha256 && m.Source == source)
            || await db.HashMatches.AnyAsync(m => m.CaseId == caseId && m.Sha256 == sha256 && m.Source == source, cancellationToken);
        if (exists) return 0;
        db.HashMatches.Add(new HashMatch(caseId, sha256, source, now));
        return 1;
    }
}
