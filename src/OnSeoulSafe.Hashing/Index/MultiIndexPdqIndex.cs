using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace OnSeoulSafe.Hashing.Index;

/// <summary>
/// Multi-index hashing (Norouzi, Punjani and Fleet; the layout of the reference's <c>mih.h</c>): each 256-bit hash is
/// cut into sixteen 16-bit words, one table per word. Two hashes within distance d differ by at most ⌊d/16⌋ bits in
/// at least one word, so probing every table at its query word and every word within ⌊d/16⌋ bit flips (17 probes
/// per table at d = 31) finds every match; candidates are then checked at full distance. Exact, like a scan.
/// <para>
/// Memory: the hashes (32 bytes), their ids (8) and one 4-byte entry number per table (64) in sorted posting arrays
/// (CSR: one offsets array of 65,537 per table): 104 bytes a hash plus 4 MB.
/// </para>
/// <para>
/// Changes after a build go to a small delta scanned linearly, and removals to a set of removed ids that filters the
/// built part; a merge (automatic when the delta reaches <see cref="MergeThreshold"/>, in the background) folds them
/// into a new build. Queries read an immutable snapshot and never wait for writers.
/// </para>
/// </summary>
public sealed class MultiIndexPdqIndex : IPdqIndex
{
    private const int Tables = 16;
    private const int Buckets = 1 << 16;

    /// <summary>Beyond this distance the probes (⌊d/16⌋ = 3 is 697 a table) cost more than a scan.</summary>
    private const int MaxProbedDistance = 47;

    private static readonly ushort[][] FlipMasks = [Masks(0), Masks(1), Masks(2)];

    private readonly Lock _writeLock = new();

    /// <summary>One merge at a time: each one's bookkeeping assumes the build it started from is still current.</summary>
    private readonly Lock _mergeLock = new();
    private State _state;
    private long _sequence;
    private int _merging;

    public MultiIndexPdqIndex(IReadOnlyList<PdqIndexEntry> entries, int mergeThreshold = 16_384)
    {
        MergeThreshold = mergeThreshold;
        _state = new State(Built.From(entries), [], []);
    }

    public MultiIndexPdqIndex()
        : this([])
    {
    }

    /// <summary>Delta size at which a background merge starts.</summary>
    public int MergeThreshold { get; }

    /// <summary>Hashes held; while removals wait for a merge this counts them by reading every id (for reports, not hot paths).</summary>
    public long Count
    {
        get
        {
            var state = Volatile.Read(ref _state);
            return state.Built.Count + state.Delta.Length - state.Built.CountRemoved(state.Removed);
        }
    }

    /// <summary>Bytes held by the built part (hashes, ids, postings, offsets), for the bench and capacity planning.</summary>
    public long MemoryBytes => Volatile.Read(ref _state).Built.MemoryBytes;

    /// <summary>Hashes waiting in the delta, and removed ids waiting to be dropped from the built part.</summary>
    public (int Delta, int Removed) Pending
    {
        get
        {
            var state = Volatile.Read(ref _state);
            return (state.Delta.Length, state.Removed.Count);
        }
    }

    public void Add(long id, PdqHash hash)
    {
        bool merge;
        lock (_writeLock)
        {
            var state = _state;
            var delta = new DeltaEntry[state.Delta.Length + 1];
            state.Delta.CopyTo(delta, 0);
            delta[^1] = new DeltaEntry(id, hash, ++_sequence);
            Volatile.Write(ref _state, state with { Delta = delta });
            merge = delta.Length >= MergeThreshold;
        }
        if (merge && Interlocked.CompareExchange(ref _merging, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static index =>
            {
                try
                {
                    index.MergeNow();
                }
                finally
                {
                    Volatile.Write(ref index._merging, 0);
                }
            }, this, preferLocal: false);
        }
    }

    public void Remove(long id)
    {
        lock (_writeLock)
        {
            var state = _state;
            var delta = Array.FindAll(state.Delta, e => e.Id != id);
            // The removed-id set only filters the built part: an id added again later lives in the delta, unfiltered.
            var removed = new HashSet<long>(state.Removed) { id };
            Volatile.Write(ref _state, new State(state.Built, delta, removed));
        }
    }

    /// <summary>Folds the delta and the removals into a new build now (writers keep going; their changes are kept).</summary>
    public void MergeNow()
    {
        lock (_mergeLock) Merge();
    }

    private void Merge()
    {
        State start;
        lock (_writeLock) start = _state;

        var entries = new List<PdqIndexEntry>(checked((int)(start.Built.Count + start.Delta.Length)));
        start.Built.CopyTo(entries, start.Removed);
        entries.AddRange(start.Delta.Select(e => new PdqIndexEntry(e.Id, e.Hash)));
        var built = Built.From(entries);
        var lastMerged = start.Delta.Length == 0 ? long.MinValue : start.Delta[^1].Sequence;

        lock (_writeLock)
        {
            var now = _state;
            // Kept: what was added since the merge began, and the ids removed since (they may be in the new build).
            var delta = Array.FindAll(now.Delta, e => e.Sequence > lastMerged);
            var removed = new HashSet<long>(now.Removed.Where(id => !start.Removed.Contains(id)));
            Volatile.Write(ref _state, new State(built, delta, removed));
        }
    }

    public IReadOnlyList<PdqMatch> Query(ReadOnlySpan<PdqHash> queries, int maxDistance = Pdq.MatchDistance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDistance);
        var state = Volatile.Read(ref _state);
        var collector = new MatchCollector();
        for (var q = 0; q < queries.Length; q++)
        {
            var query = queries[q];
            if (maxDistance > MaxProbedDistance)
            {
                state.Built.Scan(query, maxDistance, q, state.Removed, collector);
            }
            else
            {
                state.Built.Probe(query, maxDistance, q, state.Removed, collector);
            }
            foreach (var entry in state.Delta)
            {
                var distance = entry.Hash.DistanceTo(query);
                if (distance <= maxDistance) collector.Offer(entry.Id, entry.Hash, distance, q);
            }
        }
        return collector.ToList();
    }

    private static ushort[] Masks(int radius)
    {
        var masks = new List<ushort>();
        for (var mask = 0; mask < Buckets; mask++)
        {
            if (BitOperations.PopCount((uint)mask) <= radius) masks.Add((ushort)mask);
        }
        // Fewest flips first: the exact word's bucket is the likeliest to hold a near copy.
        return [.. masks.OrderBy(m => BitOperations.PopCount((uint)m)).ThenBy(m => m)];
    }

    private sealed record State(Built Built, DeltaEntry[] Delta, HashSet<long> Removed);

    private readonly record struct DeltaEntry(long Id, PdqHash Hash, long Sequence);

    /// <summary>An immutable build: hashes and ids by entry number, and per table the entry numbers sorted by word.</summary>
    private sealed class Built
    {
        private readonly ulong[] _words;
        private readonly long[] _ids;
        private readonly int[][] _offsets;
        private readonly int[][] _postings;

        private Built(ulong[] words, long[] ids, int[][] offsets, int[][] postings)
        {
            _words = words;
            _ids = ids;
            _offsets = offsets;
            _postings = postings;
        }

        public int Count => _ids.Length;

        public long MemoryBytes =>
            (long)_words.Length * sizeof(ulong) + (long)_ids.Length * sizeof(long)
            + _offsets.Sum(o => (long)o.Length * sizeof(int)) + _postings.Sum(p => (long)p.Length * sizeof(int));

        public static Built From(IReadOnlyList<PdqIndexEntry> entries)
        {
            var n = entries.Count;
            // Pinned: probes prefetch hash addresses ahead of use.
            var words = GC.AllocateUninitializedArray<ulong>(n * 4, pinned: true);
            var ids = GC.AllocateUninitializedArray<long>(n);
            for (var i = 0; i < n; i++)
            {
                var entry = entries[i];
                ids[i] = entry.Id;
                words[i * 4] = entry.Hash.W0;
                words[i * 4 + 1] = entry.Hash.W1;
                words[i * 4 + 2] = entry.Hash.W2;
                words[i * 4 + 3] = entry.Hash.W3;
            }
            var offsets = new int[Tables][];
            var postings = new int[Tables][];
            Parallel.For(0, Tables, table =>
            {
                // Counting sort by the table's word: offsets[w]..offsets[w+1] are the entries whose word is w.
                var start = new int[Buckets + 1];
                var shift = (table & 3) * 16;
                var wordIndex = table >> 2;
                for (var i = 0; i < n; i++)
                {
                    start[(int)((words[i * 4 + wordIndex] >> shift) & 0xFFFF) + 1]++;
                }
                for (var w = 0; w < Buckets; w++) start[w + 1] += start[w];
                var list = GC.AllocateUninitializedArray<int>(n);
                var next = start.AsSpan(0, Buckets).ToArray();
                for (var i = 0; i < n; i++)
                {
                    list[next[(int)((words[i * 4 + wordIndex] >> shift) & 0xFFFF)]++] = i;
                }
                offsets[table] = start;
                postings[table] = list;
            });
            return new Built(words, ids, offsets, postings);
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

        public void CopyTo(List<PdqIndexEntry> entries, HashSet<long> removed)
        {
            for (var i = 0; i < _ids.Length; i++)
            {
                if (removed.Count > 0 && removed.Contains(_ids[i])) continue;
                entries.Add(new PdqIndexEntry(_ids[i], HashAt(i)));
            }
        }

        private PdqHash HashAt(int entry) => new(_words[entry * 4], _words[entry * 4 + 1], _words[entry * 4 + 2], _words[entry * 4 + 3]);

        public void Scan(PdqHash query, int maxDistance, int queryIndex, HashSet<long> removed, MatchCollector collector)
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

        /// <summary>
        /// Two steps: the entry numbers of every probed bucket are gathered first (reads of the sorted postings, in
        /// order), then checked at full distance with the hash a few candidates ahead already requested from memory:
        /// the candidates' hashes are scattered over the whole array, and waiting for each in turn would dominate.
        /// </summary>
        public unsafe void Probe(PdqHash query, int maxDistance, int queryIndex, HashSet<long> removed, MatchCollector collector)
        {
            if (_ids.Length == 0) return;
            var radius = maxDistance / Tables;
            var masks = FlipMasks[radius];
            var candidates = System.Buffers.ArrayPool<int>.Shared.Rent(1024);
            var tables = System.Buffers.ArrayPool<byte>.Shared.Rent(1024);
            try
            {
                var count = 0;
                for (var table = 0; table < Tables; table++)
                {
                    var key = query.Word16(table);
                    var offsets = _offsets[table];
                    var postings = _postings[table];
                    foreach (var mask in masks)
                    {
                        var bucket = key ^ mask;
                        var start = offsets[bucket];
                        var length = offsets[bucket + 1] - start;
                        if (length == 0) continue;
                        if (count + length > candidates.Length) Grow(ref candidates, ref tables, count + length);
                        postings.AsSpan(start, length).CopyTo(candidates.AsSpan(count));
                        tables.AsSpan(count, length).Fill((byte)table);
                        count += length;
                    }
                }
                Verify(query, maxDistance, radius, queryIndex, candidates, tables, count, removed, collector);
            }
            finally
            {
                System.Buffers.ArrayPool<int>.Shared.Return(candidates);
                System.Buffers.ArrayPool<byte>.Shared.Return(tables);
            }
        }

        private static void Grow(ref int[] candidates, ref byte[] tables, int needed)
        {
            var size = Math.Max(needed, candidates.Length * 2);
            var moreCandidates = System.Buffers.ArrayPool<int>.Shared.Rent(size);
            var moreTables = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
            candidates.CopyTo(moreCandidates, 0);
            tables.AsSpan(0, Math.Min(tables.Length, moreTables.Length)).CopyTo(moreTables);
            System.Buffers.ArrayPool<int>.Shared.Return(candidates);
            System.Buffers.ArrayPool<byte>.Shared.Return(tables);
            candidates = moreCandidates;
            tables = moreTables;
        }

        private unsafe void Verify(PdqHash query, int maxDistance, int radius, int queryIndex, int[] candidates, byte[] tables, int count,
            HashSet<long> removed, MatchCollector collector)
        {
            const int Ahead = 24;
            ulong q0 = query.W0, q1 = query.W1, q2 = query.W2, q3 = query.W3;
            ref var words = ref MemoryMarshal.GetArrayDataReference(_words);
            var wordsBase = (ulong*)Unsafe.AsPointer(ref words);
            ref var candidate = ref MemoryMarshal.GetArrayDataReference(candidates);
            if (Sse.IsSupported)
            {
                for (var p = 0; p < Math.Min(Ahead, count); p++) Sse.Prefetch0(wordsBase + (long)Unsafe.Add(ref candidate, p) * 4);
            }
            for (var p = 0; p < count; p++)
            {
                if (Sse.IsSupported && p + Ahead < count)
                {
                    Sse.Prefetch0(wordsBase + (long)Unsafe.Add(ref candidate, p + Ahead) * 4);
                }
                var entry = Unsafe.Add(ref candidate, p);
                ref var h = ref Unsafe.Add(ref words, (nint)entry * 4);
                var distance = BitOperations.PopCount(h ^ q0) + BitOperations.PopCount(Unsafe.Add(ref h, 1) ^ q1)
                    + BitOperations.PopCount(Unsafe.Add(ref h, 2) ^ q2) + BitOperations.PopCount(Unsafe.Add(ref h, 3) ^ q3);
                if (distance > maxDistance) continue;
                var hash = new PdqHash(h, Unsafe.Add(ref h, 1), Unsafe.Add(ref h, 2), Unsafe.Add(ref h, 3));
                if (FoundInEarlierTable(hash, query, tables[p], radius)) continue;
                var id = _ids[entry];
                if (removed.Count > 0 && removed.Contains(id)) continue;
                collector.Offer(id, hash, distance, queryIndex);
            }
        }

        /// <summary>An entry within the radius in an earlier table was already found there.</summary>
        private static bool FoundInEarlierTable(PdqHash hash, PdqHash query, int table, int radius)
        {
            for (var earlier = 0; earlier < table; earlier++)
            {
                if (BitOperations.PopCount((uint)(hash.Word16(earlier) ^ query.Word16(earlier))) <= radius) return true;
            }
            return false;
        }
    }
}
