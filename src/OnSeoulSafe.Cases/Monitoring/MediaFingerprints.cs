using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Matching;
using OnSeoulSafe.Hashing;
using OnSeoulSafe.Hashing.Video;

namespace OnSeoulSafe.Cases.Monitoring;

/// <summary>What kind of file the bytes are, read from their first bytes (never from the address or the site's header).</summary>
public enum MediaKind { Image, Video }

/// <summary>
/// The hashes of one fetched file: SHA-256 always; for a picture its PDQ hash with the eight rotations and flips
/// (<see cref="PictureHashes"/>, the original first) and its quality; for a video one PDQ hash per second
/// (<see cref="VideoFrames"/>). <see cref="Unhashable"/> says why there is no perceptual hash (a damaged picture, a
/// video that cannot be decoded in time). The bytes themselves are never kept.
/// </summary>
public sealed record MediaFingerprint(
    MediaKind Kind,
    string Sha256,
    IReadOnlyList<PdqHash>? PictureHashes = null,
    int? PictureQuality = null,
    IReadOnlyList<VpdqFrame>? VideoFrames = null,
    string? Unhashable = null)
{
    /// <summary>The picture's own PDQ hash (not a rotation), as 64 hex digits.</summary>
    public string? PictureHex => PictureHashes is { Count: > 0 } hashes ? hashes[0].ToString() : null;
}

/// <summary>Hashes a fetched picture or video held in memory. The caller drops the bytes afterwards.</summary>
public interface IMediaFingerprinter
{
    Task<MediaFingerprint> FingerprintAsync(byte[] bytes, MediaKind kind, CancellationToken cancellationToken);
}

/// <summary>A case whose hash the file matches: which kind of hash, at what distance (0 for SHA-256), the case's hash that matched and the copy's quality.</summary>
public sealed record FingerprintMatch(long CaseId, HashKind Kind, int Distance, string? MatchedHash = null, int? Quality = null);

/// <summary>Finds the cases holding a file like this one.</summary>
public interface IHashMatcher
{
    Task<IReadOnlyList<FingerprintMatch>> MatchAsync(MediaFingerprint fingerprint, CancellationToken cancellationToken);
}

/// <summary>SHA-256 only: recognises unchanged copies (for tests of the crawl itself).</summary>
public sealed class Sha256Fingerprinter : IMediaFingerprinter
{
    public Task<MediaFingerprint> FingerprintAsync(byte[] bytes, MediaKind kind, CancellationToken cancellationToken) =>
        Task.FromResult(new MediaFingerprint(kind, Convert.ToHexStringLower(SHA256.HashData(bytes))));
}

/// <summary>
/// SHA-256 and the perceptual hashes: PDQ with its dihedrals for a picture (Skia, in memory, bounded in pixels), one
/// PDQ per second for a video (ffmpeg, bounded in frames and time). ffmpeg reads a file, so a video's bytes live in a
/// private temporary file (owner-only) for the time of hashing and are deleted at once. A file that cannot be hashed
/// still has its SHA-256. <paramref name="scratchFolder"/> is where that file lives (the system's temporary folder
/// unless given).
/// </summary>
public sealed class PerceptualFingerprinter(VideoLimits videoLimits, ImageLimits? imageLimits = null, string? scratchFolder = null) : IMediaFingerprinter
{
    public async Task<MediaFingerprint> FingerprintAsync(byte[] bytes, MediaKind kind, CancellationToken cancellationToken)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        try
        {
            if (kind == MediaKind.Image)
            {
                var picture = PdqImage.Hash(bytes, dihedrals: true, imageLimits);
                return new MediaFingerprint(kind, sha256, picture.Dihedrals!.ToArray(), picture.Quality);
            }
            var video = await HashVideoAsync(bytes, cancellationToken);
            return new MediaFingerprint(kind, sha256, VideoFrames: video.Frames);
        }
        catch (HashingException e)
        {
            return new MediaFingerprint(kind, sha256, Unhashable: e.Reason.ToString());
        }
    }

    private async Task<VpdqHash> HashVideoAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        var path = Path.Combine(scratchFolder ?? Path.GetTempPath(), "oss-monitoring-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using (var file = new FileStream(path, options))
            {
                await file.WriteAsync(bytes, cancellationToken);
            }
            return await Vpdq.HashFileAsync(path, videoLimits, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>
/// Matches a fetched file against the hash bank: its SHA-256 against files held on cases (hash-only evidence, content
/// items' file hashes, SHA-256 entries of the bank); a picture's eight PDQ hashes, and a video's frame hashes, through
/// the matching index (<see cref="PerceptualMatches"/>) within distance 31, only when the copy's hash is reliable
/// (quality 50 or more). A video matches a case when at least 80 % of its reliable frames are within reach of that
/// case's hashes (a clip of the victim's video), or a frame matches one of the case's pictures. The closest match
/// per case is kept.
/// </summary>
public sealed class HashBankMatcher(PortalDbContext db, PerceptualMatches perceptual) : IHashMatcher
{
    public async Task<IReadOnlyList<FingerprintMatch>> MatchAsync(MediaFingerprint fingerprint, CancellationToken cancellationToken)
    {
        var matches = new List<FingerprintMatch>();
        var sha = fingerprint.Sha256;
        var digest = Convert.FromHexString(sha);
        var fromEvidence = await db.EvidenceHashes.Where(e => e.Sha256 == sha).Select(e => e.CaseId).ToListAsync(cancellationToken);
        var fromItems = await db.ContentItems.Where(c => c.Sha256 == sha && c.CaseId != null).Select(c => c.CaseId!.Value).ToListAsync(cancellationToken);
        var fromBank = await db.HashBankEntries.Where(e => e.Kind == HashKind.Sha256 && e.Hash == digest && e.CaseId != null).Select(e => e.CaseId!.Value).ToListAsync(cancellationToken);
        matches.AddRange(fromEvidence.Concat(fromItems).Concat(fromBank).Distinct().Select(c => new FingerprintMatch(c, HashKind.Sha256, 0)));

        if (fingerprint.PictureHashes is { Count: > 0 } picture && fingerprint.PictureQuality is { } quality)
        {
            var found = await perceptual.CasesMatchingAsync(picture.ToArray(), quality, exceptCaseId: null, cancellationToken);
            matches.AddRange(found.Select(m => new FingerprintMatch(m.CaseId, m.Kind, m.Distance, m.BankHash, quality)));
        }
        if (fingerprint.VideoFrames is { Count: > 0 } frames)
        {
            var reliable = frames.Where(f => f.Quality >= Pdq.MinQuality).ToList();
            var found = await perceptual.FramesMatchingAsync(reliable.Select(f => f.Hash).Distinct().ToArray(), cancellationToken);
            foreach (var match in found.Where(m => m.HasPicture || m.MatchPercent >= Vpdq.MatchPercent))
            {
                var worstQuality = reliable.Min(f => f.Quality);
                matches.Add(new FingerprintMatch(match.CaseId, match.Kind, match.Distance, match.BankHash, worstQuality));
            }
        }
        return matches.GroupBy(m => m.CaseId).Select(g => g.OrderBy(m => m.Distance).First()).ToList();
    }
}

/// <summary>Tells pictures and videos from anything else by their first bytes.</summary>
public static class MediaSniffing
{
    public static MediaKind? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return MediaKind.Image;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])) return MediaKind.Image;
        if (head.StartsWith("GIF8"u8)) return MediaKind.Image;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return MediaKind.Image;
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            // HEIC/AVIF pictures share the ISO box format with MP4 video.
            return head[8..12].SequenceEqual("heic"u8) || head[8..12].SequenceEqual("avif"u8) || head[8..12].SequenceEqual("mif1"u8) ? MediaKind.Image : MediaKind.Video;
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return MediaKind.Video;
        return null;
    }
}
