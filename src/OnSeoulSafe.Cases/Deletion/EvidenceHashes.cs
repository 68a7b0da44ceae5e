using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Deletion;

/// <summary>
/// A file's hashes as posted by the hash-only evidence form (see Pages/Shared/_EvidenceHashes.cshtml): always its
/// SHA-256; for a picture the browser could decode, its PDQ and quality; for a video, one PDQ per second.
/// </summary>
public sealed record SubmittedHash
{
    public string? Sha256 { get; init; }
    public ContentKind Kind { get; init; } = ContentKind.Other;
    public long? SizeBytes { get; init; }

    /// <summary>A picture's PDQ: 64 hex digits.</summary>
    public string? Pdq { get; init; }

    /// <summary>The PDQ's quality, 0 to 100.</summary>
    public int? PdqQuality { get; init; }

    /// <summary>A video's frame hashes, one per second from second 0 (see <see cref="VideoFrameHashes"/>).</summary>
    public string? Frames { get; init; }

    /// <summary>Only hashes, each of its own shape: never anything else a form could carry.</summary>
    public bool IsWellFormed() =>
        EvidenceHash.IsSha256(Sha256) && SizeBytes is null or >= 0 && Enum.IsDefined(Kind)
        && (Pdq is null ? PdqQuality is null : EvidenceHash.IsSha256(Pdq) && PdqQuality is >= 0 and <= HashBankEntry.MaxQuality)
        && (Frames is null || (Pdq is null && VideoFrameHashes.Parse(Frames) is not null));

    /// <summary>How many seconds of video this carries (0 for a picture or a file known only by its SHA-256).</summary>
    public int FrameCount => VideoFrameHashes.Count(Frames);
}

/// <summary>
/// A video's frame hashes as one form value: base64url of 33 bytes per second (the 32 bytes of the PDQ, then its
/// quality), so an hour of video (3,600 frames) is 158,400 characters rather than 3,600 form fields.
/// </summary>
public static class VideoFrameHashes
{
    public const int MaxFrames = 3600;
    private const int FrameBytes = HashBankEntry.HashBytes + 1;
    private const int FrameChars = FrameBytes / 3 * 4;

    public static int Count(string? frames) => frames is null ? 0 : frames.Length / FrameChars;

    /// <summary>The frames in order of their second, or null when the value is not 1 to <see cref="MaxFrames"/> well-formed frames.</summary>
    public static IReadOnlyList<(byte[] Hash, int Quality)>? Parse(string? frames)
    {
        if (frames is null || frames.Length == 0 || frames.Length % FrameChars != 0 || frames.Length / FrameChars > MaxFrames) return null;
        if (!frames.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return null;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(frames.Replace('-', '+').Replace('_', '/'));
        }
        catch (FormatException)
        {
            return null;
        }
        var result = new List<(byte[], int)>(bytes.Length / FrameBytes);
        for (var offset = 0; offset < bytes.Length; offset += FrameBytes)
        {
            int quality = bytes[offset + HashBankEntry.HashBytes];
            if (quality > HashBankEntry.MaxQuality) return null;
            result.Add((bytes[offset..(offset + HashBankEntry.HashBytes)], quality));
        }
        return result;
    }

    public static string Format(IEnumerable<(byte[] Hash, int Quality)> frames) =>
        Convert.ToBase64String(frames.SelectMany(f => f.Hash.Append((byte)f.Quality)).ToArray()).Replace('+', '-').Replace('/', '_');
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

    /// <summary>Seconds of video one form may carry in all: an hour, the most one video is hashed for.</summary>
    public const int MaxFramesPerSubmit = VideoFrameHashes.MaxFrames;

    /// <summary>At most <see cref="MaxPerSubmit"/> files and <see cref="MaxFramesPerSubmit"/> seconds of video, each well formed.</summary>
    public static bool AreAcceptable(IReadOnlyCollection<SubmittedHash> hashes) =>
        hashes.Count <= MaxPerSubmit && hashes.All(h => h.IsWellFormed()) && hashes.Sum(h => h.FrameCount) <= MaxFramesPerSubmit;

    /// <summary>What can be kept of a refused form: the well-formed hashes, within the limits, in their order.</summary>
    public static List<SubmittedHash> Acceptable(IEnumerable<SubmittedHash> hashes)
    {
        var kept = new List<SubmittedHash>();
        var frames = 0;
        foreach (var hash in hashes.Where(h => h.IsWellFormed()))
        {
            if (kept.Count == MaxPerSubmit) break;
            if (frames + hash.FrameCount > MaxFramesPerSubmit) continue;
            frames += hash.FrameCount;
            kept.Add(hash);
        }
        return kept;
    }

    /// <summary>
    /// Stores the new files' SHA-256 as evidence and every hash of them (SHA-256, PDQ, video frames) in the hash bank,
    /// supplied by <paramref name="suppliedBy"/>; a file already on the case adds nothing.
    /// </summary>
    public async Task<EvidenceHashesResult> AddAsync(long caseId, IEnumerable<SubmittedHash>? hashes, HashSupplier suppliedBy, CancellationToken cancellationToken)
    {
        var submitted = (hashes ?? []).Take(MaxPerSubmit + 1).ToList();
        var acceptable = Acceptable(submitted);
        var valid = acceptable
            .GroupBy(h => h.Sha256!.ToLowerInvariant())
            .Select(g => g.First() with { Sha256 = g.Key })
            .ToList();
        var rejected = submitted.Count - acceptable.Count;
        // Most reports carry no file fingerprint: no round trip for them.
        if (valid.Count == 0) return new EvidenceHashesResult(0, 0, rejected, 0);
        var values = valid.Select(h => h.Sha256!).ToList();
        var known = await db.EvidenceHashes.Where(e => e.CaseId == caseId && values.Contains(e.Sha256)).Select(e => e.Sha256).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var fresh = valid.Where(h => !known.Contains(h.Sha256!)).ToList();
        foreach (var hash in fresh)
        {
            db.EvidenceHashes.Add(new EvidenceHash(caseId, hash.Sha256!, hash.Kind, hash.SizeBytes, now));
            db.HashBankEntries.AddRange(HashBank.Hashes(hash).Select(h => new HashBankEntry(caseId, h.Kind, h.Hash, h.Quality, h.VideoGroup, h.FrameSecond, suppliedBy, now)));
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

    /// <summary>
    /// A perceptual match of the served file <paramref name="servedSha256"/>: added unless the case already has a flag
    /// for that file and source (an exact SHA-256 match says more); returns 1 when added.
    /// </summary>
    public async Task<int> FlagPerceptualAsync(long caseId, string servedSha256, HashMatchSource source, Matching.PerceptualMatch match, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sha256 = servedSha256.ToLowerInvariant();
        var exists = db.HashMatches.Local.Any(m => m.CaseId == caseId && m.Sha256 == sha256 && m.Source == source)
            || await db.HashMatches.AnyAsync(m => m.CaseId == caseId && m.Sha256 == sha256 && m.Source == source, cancellationToken);
        if (exists) return 0;
        db.HashMatches.Add(new HashMatch(caseId, sha256, source, match.Kind, match.BankHash, match.Distance, now));
        return 1;
    }
}
