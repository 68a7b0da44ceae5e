using System.Security.Cryptography;
using OnSeoulSafe.Hashing.Video;

namespace OnSeoulSafe.Hashing;

/// <summary>
/// Everything a file can be recognised by: its SHA-256 (always, for exact copies), and its perceptual hash: PDQ for a
/// picture, vPDQ for a video; or why there is none (<see cref="Failure"/>), in which case only exact copies are recognised.
/// </summary>
public sealed record FileHashes(string Sha256, long Length, PdqImageHash? Image, VpdqHash? Video, HashingException? Failure);

/// <summary>Hashes a file on disk: pictures are tried first (Skia reads the header), then video (ffprobe).</summary>
public static class FileHasher
{
    public static async Task<FileHashes> HashAsync(string path, ImageLimits? imageLimits = null, VideoLimits? videoLimits = null,
        CancellationToken cancellationToken = default)
    {
        string sha256;
        long length;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
        {
            length = stream.Length;
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }
        if (length == 0)
        {
            return new FileHashes(sha256, 0, null, null, new HashingException(HashingFailure.Empty, "The file is empty."));
        }

        try
        {
            return new FileHashes(sha256, length, PdqImage.HashFile(path, limits: imageLimits), null, null);
        }
        catch (HashingException picture) when (picture.Reason == HashingFailure.UnknownFormat)
        {
            try
            {
                var video = await Vpdq.HashFileAsync(path, videoLimits, cancellationToken);
                return new FileHashes(sha256, length, null, video, null);
            }
            catch (HashingException failure)
            {
                return new FileHashes(sha256, length, null, null, failure);
            }
        }
        catch (HashingException failure)
        {
            return new FileHashes(sha256, length, null, null, failure);
        }
    }
}
