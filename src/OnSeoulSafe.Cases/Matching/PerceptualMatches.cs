using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Hashing;
using OnSeoulSafe.Hashing.Index;

namespace OnSeoulSafe.Cases.Matching;

/// <summary>A case holding a hash within the match distance: which of its hashes, of what kind, and how far.</summary>
public sealed record PerceptualMatch(long CaseId, HashKind Kind, string BankHash, int Distance);

/// <summary>
/// A case some frames of a video matched: the share of the video's frames within reach of the case's hashes, the
/// closest of them, and whether one of the case's pictures (not only its video frames) matched.
/// </summary>
public sealed record FrameMatch(long CaseId, HashKind Kind, string BankHash, int Distance, double MatchPercent, bool HasPicture);

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

    /// <summary>Frames matched per video at most: enough for an hour at one hash a second against several cases.</summary>
    public const int MaxFrameEntries = 8192;

    /// <summary>
    /// The cases holding hashes within <see cref="Pdq.MatchDistance"/> of a video's reliable frame hashes (the caller
    /// leaves out frames under quality 50), with the share of the frames each case matched.
    /// </summary>
    public async Task<IReadOnlyList<FrameMatch>> FramesMatchingAsync(PdqHash[] frames, CancellationToken cancellationToken)
    {
        if (frames.Length == 0) return [];
        // One query per frame: the index names each id once, so a query of all frames at once cannot tell how many
        // frames an id matched.
        var perFrame = new List<(int Frame, PdqMatch Hit)>();
        for (var i = 0; i < frames.Length && perFrame.Count < MaxFrameEntries; i++)
        {
            var frame = i;
            perFrame.AddRange(index.Query([frames[i]], Pdq.MatchDistance).Select(h => (frame, h)));
        }
        if (perFrame.Count == 0) return [];
        var ids = perFrame.Select(h => h.Hit.Id).Distinct().ToList();
        var owners = await db.HashBankEntries.AsNoTracking()
            .Where(e => ids.Contains(e.Id) && e.CaseId != null)
            .Select(e => new { e.Id, CaseId = e.CaseId!.Value, e.Kind })
            .ToDictionaryAsync(e => e.Id, cancellationToken);
        return perFrame.Where(h => owners.ContainsKey(h.Hit.Id))
            .GroupBy(h => owners[h.Hit.Id].CaseId)
            .Select(g =>
            {
                var closest = g.MinBy(h => h.Hit.Distance).Hit;
                return new FrameMatch(g.Key, owners[closest.Id].Kind, closest.Hash.ToString(), closest.Distance,
                    100.0 * g.Select(h => h.Frame).Distinct().Count() / frames.Length, g.Any(h => owners[h.Hit.Id].Kind == HashKind.PdqImage));
            })
            .OrderBy(m => m.Distance).ThenBy(m => m.CaseId)
            .ToList();
    }
}
