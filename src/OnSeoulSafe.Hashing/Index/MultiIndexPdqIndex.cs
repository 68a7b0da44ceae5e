namespace OnSeoulSafe.Hashing.Index;

/// <summary>
/// Multi-index hashing (Norouzi, Punjani and Fleet): each 256-bit hash is cut into eleven substrings of 23 or 24 bits
/// (<see cref="HashSubstrings"/>), one table per substring. Two hashes within distance d are within ⌊d/11⌋ bits in at
/// least one substring, so looking up every table at the query's substring and every substring within that many bit
/// flips finds every match; candidates are then checked at full distance. Exact, like a scan. The tables are flat
/// sorted arrays (<see cref="MultiIndexTables"/>): about 100 bytes a hash in all, the hash itself included.
/// <para>
/// Changes after a build go to a small delta scanned linearly, and removals to a set of removed ids that filters the
/// built part; a merge (automatic when the delta reaches <see cref="MergeThreshold"/>, in the background) folds them
/// into a new build. Queries read an immutable snapshot and never wait for writers.
/// </para>
/// </summary>
public sealed class MultiIndexPdqIndex : IPdqIndex
{
    private readonly Lock _writeLock = new();

    /// <summary>One merge at a time: each one's bookkeeping assumes the build it started from is still current.</summary>
    private readonly Lock _mergeLock = new();
    private State _state;
    private long _sequence;
    private int _merging;

    public MultiIndexPdqIndex(IReadOnlyList<PdqIndexEntry> entries, int mergeThreshold = 16_384)
    {
        MergeThreshold = mergeThreshold;
        _state = new State(MultiIndexTables.From(entries), [], []);
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
        var built = MultiIndexTables.From(entries);
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
            state.Built.Query(query, maxDistance, q, state.Removed, collector);
            foreach (var entry in state.Delta)
            {
                var distance = entry.Hash.DistanceTo(query);
                if (distance <= maxDistance) collector.Offer(entry.Id, entry.Hash, distance, q);
            }
        }
        return collector.ToList();
    }

    private sealed record State(MultiIndexTables Built, DeltaEntry[] Delta, HashSet<long> Removed);

    private readonly record struct DeltaEntry(long Id, PdqHash Hash, long Sequence);
}
