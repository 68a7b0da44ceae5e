using OnSeoulSafe.Hashing;
using OnSeoulSafe.Hashing.Index;

namespace OnSeoulSafe.Cases.Matching;

/// <summary>
/// This portal instance's in-memory matching index over the hash bank: every reliable PDQ (pictures and video frames,
/// quality 50 or more) under its bank entry's id. Filled at start-up and kept in step by <see cref="HashBankIndexSync"/>;
/// only that one loop writes, queries never wait. Holds hashes and ids only: which case an id belongs to is read from
/// the bank when a match is found, so a monitor's report linked to a case later is matched to that case.
/// </summary>
public sealed class HashBankIndex
{
    private MultiIndexPdqIndex _index = new();
    private volatile bool _loaded;
    private long _lastSeenId;

    /// <summary>True once the whole bank has been loaded at least once.</summary>
    public bool IsLoaded => _loaded;

    /// <summary>Hashes held (for readiness and the log: a count, nothing about any case).</summary>
    public long Count => Volatile.Read(ref _index).Count;

    /// <summary>The highest bank id seen: the loader tails the bank from here.</summary>
    public long LastSeenId => Interlocked.Read(ref _lastSeenId);

    /// <summary>Raised after every change the sync loop applies (tests wait on it for a condition).</summary>
    public event Action? Changed;

    /// <summary>Every bank entry id with a hash within <paramref name="maxDistance"/> of one of the queries, closest first.</summary>
    public IReadOnlyList<PdqMatch> Query(ReadOnlySpan<PdqHash> queries, int maxDistance = Pdq.MatchDistance) =>
        Volatile.Read(ref _index).Query(queries, maxDistance);

    /// <summary>A fresh load replaces everything (start-up and after a lost connection, when deletions may have been missed).</summary>
    internal void Replace(IReadOnlyList<PdqIndexEntry> entries, long lastSeenId)
    {
        Volatile.Write(ref _index, new MultiIndexPdqIndex(entries));
        Interlocked.Exchange(ref _lastSeenId, lastSeenId);
        _loaded = true;
        Changed?.Invoke();
    }

    /// <summary>New or re-announced entries: added once whatever happens to be held already.</summary>
    internal void Upsert(IReadOnlyList<PdqIndexEntry> entries)
    {
        var index = Volatile.Read(ref _index);
        foreach (var entry in entries)
        {
            // Remove hides the built copy and drops a delta copy; the add lives in the delta, unfiltered.
            index.Remove(entry.Id);
            index.Add(entry.Id, entry.Hash);
            if (entry.Id > LastSeenId) Interlocked.Exchange(ref _lastSeenId, entry.Id);
        }
    }

    internal void Remove(IEnumerable<long> ids)
    {
        var index = Volatile.Read(ref _index);
        foreach (var id in ids) index.Remove(id);
    }

    internal void RaiseChanged() => Changed?.Invoke();
}
