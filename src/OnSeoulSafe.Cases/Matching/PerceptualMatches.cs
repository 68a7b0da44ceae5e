using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Hashing;

namespace OnSeoulSafe.Cases.Matching;

/// <summary>A case holding a hash within the match distance: which of its hashes, of what kind, and how far.</summary>
public sealed record PerceptualMatch(long CaseId, HashKind Kind, string BankHash, int Distance);

/// <summary>
/// Matches a perceptual hash against the bank through the in-memory <see cref="HashBankIndex"/> (never a scan in SQL):
/// the index names bank entry ids, their cases are read by primary key, the closest hash per case kept.
/// </summary>
public sealed class PerceptualMatches(PortalDbContext db, HashBankIndex index)
{
    /// <summary>At most this many matching entries are resolved for one query (the closest).</summary>
    public const int MaxEntries = 256;

    /// <summary>
    /// Cases other than <paramref name="exceptCaseId"/> holding a hash within <see cref="Pdq.MatchDistance"/> of one of
    /// <paramref name="queries"/> (a picture's eight dihedral hashes, or one hash); nothing when the query's quality is below 50.
    /// </summary>
    public async Task<IReadOnlyList<PerceptualMatch>> CasesMatchingAsync(PdqHash[] queries, int quality, long? exceptCaseId, CancellationToken cancellationToken)
    {
        if (quality < Pdq.MinQuality || queries.Length == 0) return [];
        var hits = index.Query(queries, Pdq.MatchDistance).Take(MaxEntries).ToList();
        if (hits.Count == 0) return [];
        var ids = hits.Select(h => h.Id).ToList();
        var owners = await db.HashBankEntries.AsNoTracking()
            .Where(e => ids.Contains(e.Id) && e.CaseId != null && e.CaseId != exceptCaseId)
            .Select(e => new { e.Id, CaseId = e.CaseId!.Value, e.Kind })
            .ToDictionaryAsync(e => e.Id, cancellationToken);
        return hits.Where(h => owners.ContainsKey(h.Id))
            .Select(h => new PerceptualMatch(owners[h.Id].CaseId, owners[h.Id].Kind, h.Hash.ToString(), h.Distance))
            .GroupBy(m => m.CaseId)
            .Select(g => g.OrderBy(m => m.Distance).First())
            .OrderBy(m => m.Distance).ThenBy(m => m.CaseId)
            .ToList();
    }
}
