using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;

namespace OnSeoulSafe.Cases.Monitoring;

/// <summary>What kind of file the bytes are, read from their first bytes (never from the address or the site's header).</summary>
public enum MediaKind { Image, Video }

/// <summary>
/// The hashes of one fetched file: SHA-256 always; a PDQ hash and its quality for a picture, and one PDQ hash per
/// second for a video, when a perceptual hasher is wired in. The bytes themselves are never kept.
/// </summary>
public sealed record MediaFingerprint(MediaKind Kind, string Sha256, string? PdqHex = null, int? PdqQuality = null, IReadOnlyList<string>? VideoFrameHashes = null);

/// <summary>Hashes a fetched picture or video held in memory. The caller drops the bytes afterwards.</summary>
public interface IMediaFingerprinter
{
    MediaFingerprint Fingerprint(ReadOnlySpan<byte> bytes, MediaKind kind);
}

/// <summary>A case whose hash the file matches: which kind of hash and at what distance (0 for SHA-256).</summary>
public sealed record FingerprintMatch(long CaseId, string HashKind, int Distance);

/// <summary>Finds the cases holding a file like this one.</summary>
public interface IHashMatcher
{
    Task<IReadOnlyList<FingerprintMatch>> MatchAsync(MediaFingerprint fingerprint, CancellationToken cancellationToken);
}

/// <summary>SHA-256 only, until the perceptual hasher is wired in: recognises unchanged copies.</summary>
public sealed class Sha256Fingerprinter : IMediaFingerprinter
{
    public MediaFingerprint Fingerprint(ReadOnlySpan<byte> bytes, MediaKind kind) => new(kind, Convert.ToHexStringLower(SHA256.HashData(bytes)));
}

/// <summary>
/// Matches by SHA-256 against the files held on cases today (hash-only evidence and content items' file hashes), as
/// the re-check job does.
/// </summary>
public sealed class EvidenceSha256Matcher(PortalDbContext db) : IHashMatcher
{
    public const string HashKind = "sha256";

    public async Task<IReadOnlyList<FingerprintMatch>> MatchAsync(MediaFingerprint fingerprint, CancellationToken cancellationToken)
    {
        var sha = fingerprint.Sha256;
        var fromEvidence = await db.EvidenceHashes.Where(e => e.Sha256 == sha).Select(e => e.CaseId).ToListAsync(cancellationToken);
        var fromItems = await db.ContentItems.Where(c => c.Sha256 == sha && c.CaseId != null).Select(c => c.CaseId!.Value).ToListAsync(cancellationToken);
        return fromEvidence.Concat(fromItems).Distinct().Select(c => new FingerprintMatch(c, HashKind, 0)).ToList();
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
