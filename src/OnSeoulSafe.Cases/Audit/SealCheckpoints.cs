using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OnSeoulSafe.Cases.Audit;

/// <summary>
/// The checkpoint file: one line per sealing pass, "number sealed-at hash signature", appended and never rewritten,
/// the signature an HMAC under the checkpoint key of the number and hash. Kept outside the database (another disk,
/// a host the database's owner cannot write, ideally shipped on to write-once storage), it is what a rewritten chain
/// can no longer reach: the verify page recomputes the chain and checks it still passes through every published head.
/// </summary>
public static class SealCheckpoints
{
    public static async Task AppendAsync(string? path, SealKey key, long number, byte[] hash, DateTimeOffset sealedAt, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(path)) return;
        var hex = Convert.ToHexStringLower(hash);
        var line = string.Create(CultureInfo.InvariantCulture, $"{number} {sealedAt.UtcDateTime:O} {hex} {Sign(key, number, hex)}\n");
        // Append mode only: a line is added at the end in one write, what is there is never read back or replaced.
        await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(line), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>The published heads by seal number, and the number of the first line whose signature fails (if any).</summary>
    public static async Task<(Dictionary<long, byte[]> Heads, long? InvalidLine)> ReadAsync(string? path, SealKey key, CancellationToken cancellationToken)
    {
        var heads = new Dictionary<long, byte[]>();
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path)) return (heads, null);
        var lineNumber = 0L;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var parts = line.Split(' ');
            if (parts.Length != 4 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(key, number, parts[2])), Encoding.ASCII.GetBytes(parts[3])))
            {
                return (heads, lineNumber);
            }
            heads[number] = Convert.FromHexString(parts[2]);
        }
        return (heads, null);
    }

    private static string Sign(SealKey key, long number, string hashHex) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key.CheckpointKey, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"checkpoint\n{number}\n{hashHex}"))));
}
