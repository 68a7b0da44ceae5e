using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace OnSeoulSafe.Hashing.Index;

/// <summary>
/// An immutable build of the multi-index: the hashes and ids by entry number, and for each of the
/// <see cref="HashSubstrings.Count"/> substrings a table of entry numbers grouped by the substring's leading
/// <see cref="KeyBits"/> bits (a counting sort: one offsets array and one postings array, no dictionaries).
/// <para>
/// A posting is one 32-bit word: the entry number in its low <see cref="EntryBits"/> bits and the substring's remaining
/// (trailing) bits above them, so a bucket is filtered on the whole substring without reading any hash. Keys are about
/// one bit shorter than log₂ of the count, so a bucket holds two to four entries and the offsets cost under 2 bytes a
/// hash a table: 32 (hash) + 8 (id) + 11·4 (postings) + 11·4·2^KeyBits/n (offsets) ≤ 106 bytes a hash.
/// </para>
/// <para>
/// The hashes, offsets and postings live in <see cref="NativeBlock{T}"/>s on huge pages. A query hash is looked up in stages over all tables at once, so the memory reads of one stage are independent of
/// each other and overlap: every bucket's offsets are requested, then every bucket's postings, then the postings are
/// filtered and the surviving entries' hashes requested, then each is checked at full distance.
/// </para>
/// </summary>
internal sealed class MultiIndexTables
{
    /// <summary>Entry numbers and offsets are 32-bit; the postings of all tables share one array.</summary>
    public const int MaxEntries = int.MaxValue / HashSubstrings.Count;

    /// <summary>Beyond radius 3 (distance 44 and more) the probes cost more than reading every hash.</summary>
    public const int MaxProbedRadius = 3;

    private readonly NativeBlock<ulong> _words;
    private readonly long[] _ids;
    private readonly NativeBlock<int> _offsets;
    private readonly NativeBlock<uint> _postings;

    /// <summary>Every key mask of at most <see cref="MaxProbedRadius"/> bits, fewest bits first; <see cref="_maskEnds"/>[r] ends radius r.</summary>
    private readonly uint[] _masks;
    private readonly byte[] _maskBits;
    private readonly int[] _maskEnds;

    private MultiIndexTables(NativeBlock<ulong> words, long[] ids, int keyBits, int entryBits, NativeBlock<int> offsets, NativeBlock<uint> postings)
    {
        _words = words;
        _ids = ids;
        KeyBits = keyBits;
        EntryBits = entryBits;
        _offsets = offsets;
        _postings = postings;
        (_masks, _maskBits, _maskEnds) = Masks(keyBits);
    }

    public int Count => _ids.Length;

    /// <summary>Leading bits of each substring that choose its bucket.</summary>
    public int KeyBits { get; }

    /// <summary>Low bits of a posting holding the entry number.</summary>
    public int EntryBits { get; }

    private int Buckets => 1 << KeyBits;

    public long MemoryBytes => _words.Bytes + (long)_ids.Length * sizeof(long) + _offsets.Bytes + _postings.Bytes;

    public static unsafe MultiIndexTables From(IReadOnlyList<PdqIndexEntry> entries)
    {
        var n = entries.Count;
        if (n > MaxEntries) throw new ArgumentOutOfRangeException(nameof(entries), $"An index holds at most {MaxEntries:N0} hashes.");
        var words = new NativeBlock<ulong>(n * 4L);
        var ids = GC.AllocateUninitializedArray<long>(n);
        var hashes = (PdqHash*)words.Pointer;
        for (var i = 0; i < n; i++)
        {
            var entry = entries[i];
            ids[i] = entry.Id;
            hashes[i] = entry.Hash;
        }

        var entryBits = Math.Max(1, 32 - BitOperations.LeadingZeroCount((uint)Math.Max(n - 1, 0)));
        // A key one bit shorter than log₂ n (two to four entries a bucket), long enough that the remaining bits of a
        // substring fit beside the entry number, and no longer than the shortest substring.
        var wanted = BitOperations.Log2((uint)Math.Max(n, 1)) - 1;
        var keyBits = Math.Clamp(wanted, Math.Max(1, HashSubstrings.MaxWidth + entryBits - 32), HashSubstrings.MinWidth);
        var buckets = 1 << keyBits;
        var offsets = new NativeBlock<int>((buckets + 1L) * HashSubstrings.Count);
        var postings = new NativeBlock<uint>((long)n * HashSubstrings.Count);
        Parallel.For(0, HashSubstrings.Count, table =>
        {
            var trailing = HashSubstrings.Widths[table] - keyBits;
            var trailingMask = (1u << trailing) - 1;
            // offsets[b]..offsets[b+1] are the postings of bucket b; table t's postings are t·n .. (t+1)·n.
            var start = offsets.AsSpan(table * (buckets + 1L), buckets + 1);
            start.Clear();
            var hash = words.Pointer;
            for (var i = 0; i < n; i++)
            {
                start[(int)(HashSubstrings.Extract(ref hash[i * 4L], table) >> trailing) + 1]++;
            }
            start[0] = table * n;
            for (var b = 0; b < buckets; b++) start[b + 1] += start[b];
            var next = start[..buckets].ToArray();
            var posting = postings.Pointer;
            for (var i = 0; i < n; i++)
            {
                var key = HashSubstrings.Extract(ref hash[i * 4L], table);
                posting[next[(int)(key >> trailing)]++] = ((key & trailingMask) << entryBits) | (uint)i;
            }
        });
        return new MultiIndexTables(words, ids, keyBits, entryBits, offsets, postings);
    }

    private static (uint[] Masks, byte[] Bits, int[] Ends) Masks(int keyBits)
    {
        var masks = new List<uint> { 0 };
        var ends = new int[MaxProbedRadius + 1];
        ends[0] = 1;
        var previous = new List<uint> { 0 };
        for (var radius = 1; radius <= MaxProbedRadius; radius++)
        {
            // Each mask of this many bits once: extend a mask of one bit fewer by a bit above its highest.
            var current = new List<uint>();
            foreach (var mask in previous)
            {
                var from = mask == 0 ? 0 : 32 - BitOperations.LeadingZeroCount(mask);
                for (var bit = from; bit < keyBits; bit++) current.Add(mask | (1u << bit));
            }
            masks.AddRange(current);
            ends[radius] = masks.Count;
            previous = current;
        }
        return ([.. masks], [.. masks.Select(m => (byte)BitOperations.PopCount(m))], ends);
    }

    public void CopyTo(List<PdqIndexEntry> entries, HashSet<long> removed)
    {
        for (var i = 0; i < _ids.Length; i++)
        {
            if (removed.Count > 0 && removed.Contains(_ids[i])) continue;
            entries.Add(new PdqIndexEntry(_ids[i], HashAt(i)));
        }
    }

    public int CountRemoved(HashSet<long> removed)
    {
        if (removed.Count == 0) return 0;
        var count = 0;
        foreach (var id in _ids)
        {
            if (removed.Contains(id)) count++;
        }
        return count;
    }

    private unsafe PdqHash HashAt(int entry)
    {
        var hash = ((PdqHash*)_words.Pointer)[entry];
        GC.KeepAlive(this);
        return hash;
    }

    /// <summary>Every entry within <paramref name="maxDistance"/> of <paramref name="query"/>, not removed, offered to the collector.</summary>
    public void Query(PdqHash query, int maxDistance, int queryIndex, HashSet<long> removed, MatchCollector collector)
    {
        if (_ids.Length == 0) return;
        var radius = HashSubstrings.Radius(maxDistance);
        if (radius > MaxProbedRadius)
        {
            Scan(query, maxDistance, queryIndex, removed, collector);
        }
        else
        {
            Probe(query, maxDistance, radius, queryIndex, removed, collector);
        }
    }

    private void Scan(PdqHash query, int maxDistance, int queryIndex, HashSet<long> removed, MatchCollector collector)
    {
        for (var i = 0; i < _ids.Length; i++)
        {
            var hash = HashAt(i);
            var distance = hash.DistanceTo(query);
            if (distance <= maxDistance && !(removed.Count > 0 && removed.Contains(_ids[i])))
            {
                collector.Offer(_ids[i], hash, distance, queryIndex);
            }
        }
    }

    private unsafe void Probe(PdqHash query, int maxDistance, int radius, int queryIndex, HashSet<long> removed, MatchCollector collector)
    {
        var scratch = Scratch.ForThread(HashSubstrings.Count * _maskEnds[radius]);
        var offsets = _offsets.Pointer;
        var postings = _postings.Pointer;
        var words = _words.Pointer;
        var prefetch = Sse.IsSupported;
        var masks = _masks.AsSpan(0, _maskEnds[radius]);
        var maskBits = _maskBits;
        var buckets = scratch.Buckets;
        var allowance = scratch.Allowance;
        Span<uint> trailingKeys = stackalloc uint[HashSubstrings.Count];

        // 1. The buckets to read: for each table, the query's key with every mask of up to `radius` bits flipped.
        var probes = 0;
        var q = query;
        ref var queryWords = ref Unsafe.As<PdqHash, ulong>(ref q);
        for (var table = 0; table < HashSubstrings.Count; table++)
        {
            var trailing = HashSubstrings.Widths[table] - KeyBits;
            var key = HashSubstrings.Extract(ref queryWords, table);
            trailingKeys[table] = (key & ((1u << trailing) - 1)) << EntryBits;
            var bucketKey = key >> trailing;
            var tableStart = table * (Buckets + 1);
            for (var m = 0; m < masks.Length; m++)
            {
                var bucket = tableStart + (int)(bucketKey ^ masks[m]);
                buckets[probes] = bucket;
                // What the rest of the substring may still differ by: the table in the high bits, the bits left below.
                allowance[probes] = (byte)((table << 4) | (radius - maskBits[m]));
                if (prefetch) Sse.Prefetch0(offsets + bucket);
                probes++;
            }
        }

        // 2. Where each bucket's postings are.
        var starts = scratch.Starts;
        var lengths = scratch.Lengths;
        for (var p = 0; p < probes; p++)
        {
            var start = offsets[buckets[p]];
            var length = offsets[buckets[p] + 1] - start;
            starts[p] = start;
            lengths[p] = length;
            if (prefetch && length > 0) Sse.Prefetch0(postings + start);
        }

        // 3. The entries whose whole substring is within the radius: requested from memory as they are found.
        var candidates = scratch.Candidates;
        var tables = scratch.Tables;
        var count = 0;
        var entryMask = (1u << EntryBits) - 1;
        var entryBits = EntryBits;
        for (var p = 0; p < probes; p++)
        {
            var length = lengths[p];
            if (length == 0) continue;
            if (count + length > candidates.Length)
            {
                scratch.Grow(count + length);
                candidates = scratch.Candidates;
                tables = scratch.Tables;
            }
            var table = allowance[p] >> 4;
            var left = allowance[p] & 15;
            var trailingKey = trailingKeys[table];
            var slice = postings + starts[p];
            for (var i = 0; i < length; i++)
            {
                var posting = slice[i];
                if (BitOperations.PopCount((posting ^ trailingKey) >> entryBits) > left) continue;
                var entry = posting & entryMask;
                if (prefetch) Sse.Prefetch0(words + (long)entry * 4);
                candidates[count] = (int)entry;
                tables[count] = (byte)table;
                count++;
            }
        }

        // 4. Each candidate at full distance. An entry near enough in several substrings is found in each of their
        // tables; it is kept from the first only.
        ulong q0 = query.W0, q1 = query.W1, q2 = query.W2, q3 = query.W3;
        for (var c = 0; c < count; c++)
        {
            var h = words + (long)candidates[c] * 4;
            var distance = BitOperations.PopCount(h[0] ^ q0) + BitOperations.PopCount(h[1] ^ q1)
                + BitOperations.PopCount(h[2] ^ q2) + BitOperations.PopCount(h[3] ^ q3);
            if (distance > maxDistance) continue;
            if (FoundInEarlierTable(ref *h, ref queryWords, tables[c], radius)) continue;
            var id = _ids[candidates[c]];
            if (removed.Count > 0 && removed.Contains(id)) continue;
            collector.Offer(id, new PdqHash(h[0], h[1], h[2], h[3]), distance, queryIndex);
        }
        // The blocks are freed when this build is collected: not before its last read.
        GC.KeepAlive(this);
    }

    private static bool FoundInEarlierTable(ref ulong hash, ref ulong query, int table, int radius)
    {
        for (var earlier = 0; earlier < table; earlier++)
        {
            var difference = HashSubstrings.Extract(ref hash, earlier) ^ HashSubstrings.Extract(ref query, earlier);
            if (BitOperations.PopCount(difference) <= radius) return true;
        }
        return false;
    }

    /// <summary>Per-thread buffers, so a query allocates nothing but its answer.</summary>
    private sealed class Scratch
    {
        [ThreadStatic]
        private static Scratch? t_scratch;

        private Scratch(int probes, int candidates)
        {
            Buckets = new int[probes];
            Allowance = new byte[probes];
            Starts = new int[probes];
            Lengths = new int[probes];
            Candidates = new int[candidates];
            Tables = new byte[candidates];
        }

        public int[] Buckets { get; }
        public byte[] Allowance { get; }
        public int[] Starts { get; }
        public int[] Lengths { get; }
        public int[] Candidates { get; private set; }
        public byte[] Tables { get; private set; }

        public static Scratch ForThread(int probes)
        {
            var scratch = t_scratch;
            if (scratch is null || scratch.Buckets.Length < probes)
            {
                t_scratch = scratch = new Scratch(probes, Math.Max(scratch?.Candidates.Length ?? 0, 16_384));
            }
            return scratch;
        }

        public void Grow(int needed)
        {
            var size = Math.Max(needed, Candidates.Length * 2);
            var candidates = new int[size];
            var tables = new byte[size];
            Candidates.CopyTo(candidates, 0);
            Tables.CopyTo(tables, 0);
            Candidates = candidates;
            Tables = tables;
        }
    }
}
