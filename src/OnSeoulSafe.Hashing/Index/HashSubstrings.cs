using System.Runtime.CompilerServices;

namespace OnSeoulSafe.Hashing.Index;

/// <summary>
/// How the multi-index cuts a 256-bit hash: eleven substrings of consecutive bits, three of 24 bits then eight of 23.
/// Two hashes within distance d differ by at most ⌊d/11⌋ bits in at least one substring (were every substring ⌊d/11⌋+1
/// bits apart, the hashes would be 11·(⌊d/11⌋+1) &gt; d apart), so at the matching distance 31 each table is searched
/// at radius 2. Eleven is the fewest substrings that gives radius 2 at 31: fewer tables with radius 3 cost ten times
/// the probes, sixteen tables of 16 bits at radius 1 give a hundred times the candidates at 10,000,000 hashes.
/// </summary>
internal static class HashSubstrings
{
    public const int Count = 11;

    public const int MaxWidth = 24;

    public const int MinWidth = 23;

    /// <summary>Bit 0 of substring <c>t</c> is hash bit <c>Starts[t]</c> (bit k of the hash is bit k % 64 of word k / 64).</summary>
    public static ReadOnlySpan<byte> Starts => [0, 24, 48, 72, 95, 118, 141, 164, 187, 210, 233];

    public static ReadOnlySpan<byte> Widths => [24, 24, 24, 23, 23, 23, 23, 23, 23, 23, 23];

    /// <summary>The searched radius in each substring for a whole-hash distance.</summary>
    public static int Radius(int maxDistance) => maxDistance / Count;

    /// <summary>Substring <paramref name="table"/> of the hash whose four words start at <paramref name="words"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Extract(ref ulong words, int table)
    {
        int start = Starts[table], width = Widths[table];
        var offset = start & 63;
        ref var word = ref Unsafe.Add(ref words, start >> 6);
        var value = word >> offset;
        // A substring that crosses into the next word (offset > 40 here, so the shift is never 64).
        if (offset + width > 64) value |= Unsafe.Add(ref word, 1) << (64 - offset);
        return (uint)value & ((1u << width) - 1);
    }

    public static uint Extract(PdqHash hash, int table)
    {
        var words = hash;
        return Extract(ref Unsafe.As<PdqHash, ulong>(ref words), table);
    }
}
