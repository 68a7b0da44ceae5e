namespace OnSeoulSafe.Hashing.Index;

/// <summary>One hash in an index, under the id of what it stands for (e.g. a hash bank row); several hashes may share an id.</summary>
public readonly record struct PdqIndexEntry(long Id, PdqHash Hash);

/// <summary>An id whose hash lies within the asked distance of one of the query's hashes (the closest one, if several).</summary>
public readonly record struct PdqMatch(long Id, PdqHash Hash, int Distance, int QueryIndex);

/// <summary>Finds every id with a hash within a Hamming distance of any of the query hashes.</summary>
public interface IPdqIndex
{
    /// <summary>Hashes held, less those removed that are still waiting to be dropped by a merge.</summary>
    long Count { get; }

    void Add(long id, PdqHash hash);

    /// <summary>Removes every hash held under <paramref name="id"/>.</summary>
    void Remove(long id);

    /// <summary>
    /// Every id with a hash at distance ≤ <paramref name="maxDistance"/> of one of <paramref name="queries"/> (e.g. the
    /// eight dihedral hashes of a picture), once, with its smallest distance; ordered by distance, then id.
    /// </summary>
    IReadOnlyList<PdqMatch> Query(ReadOnlySpan<PdqHash> queries, int maxDistance = Pdq.MatchDistance);
}

/// <summary>Collects matches by id, keeping the closest; allocates nothing until the first match.</summary>
internal sealed class MatchCollector
{
    private Dictionary<long, PdqMatch>? _best;

    public void Offer(long id, PdqHash hash, int distance, int queryIndex)
    {
        _best ??= [];
        if (!_best.TryGetValue(id, out var current) || distance < current.Distance)
        {
            _best[id] = new PdqMatch(id, hash, distance, queryIndex);
        }
    }

    public IReadOnlyList<PdqMatch> ToList()
    {
        if (_best is null) return [];
        var list = _best.Values.ToList();
        list.Sort(static (a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Id.CompareTo(b.Id));
        return list;
    }
}
