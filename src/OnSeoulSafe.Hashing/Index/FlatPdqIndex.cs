using System.Numerics;

namespace OnSeoulSafe.Hashing.Index;

/// <summary>
/// A brute-force scan of every hash: exact by construction, the oracle the multi-index is tested against and the
/// baseline it is measured against. Each hash is read once per query and compared with every query hash.
/// </summary>
public sealed class FlatPdqIndex : IPdqIndex
{
    private readonly Lock _lock = new();
    private ulong[] _words;
    private long[] _ids;
    private int _count;

    public FlatPdqIndex(int capacity = 1024)
    {
        _words = new ulong[Math.Max(1, capacity) * 4];
        _ids = new long[Math.Max(1, capacity)];
    }

    public FlatPdqIndex(IReadOnlyList<PdqIndexEntry> entries)
        : this(entries.Count)
    {
        foreach (var entry in entries) Append(entry.Id, entry.Hash);
    }

    public long Count
    {
        get
        {
            lock (_lock) return _count;
        }
    }

    /// <summary>Bytes held by the hashes and ids.</summary>
    public long MemoryBytes => (long)_words.Length * sizeof(ulong) + (long)_ids.Length * sizeof(long);

    public void Add(long id, PdqHash hash)
    {
        lock (_lock) Append(id, hash);
    }

    private void Append(long id, PdqHash hash)
    {
        if (_count == _ids.Length)
        {
            Array.Resize(ref _ids, _count * 2);
            Array.Resize(ref _words, _count * 8);
        }
        _ids[_count] = id;
        var w = _count * 4;
        _words[w] = hash.W0;
        _words[w + 1] = hash.W1;
        _words[w + 2] = hash.W2;
        _words[w + 3] = hash.W3;
        _count++;
    }

    public void Remove(long id)
    {
        lock (_lock)
        {
            var kept = 0;
            for (var i = 0; i < _count; i++)
            {
                if (_ids[i] == id) continue;
                _ids[kept] = _ids[i];
                Array.Copy(_words, i * 4, _words, kept * 4, 4);
                kept++;
            }
            _count = kept;
        }
    }

    public IReadOnlyList<PdqMatch> Query(ReadOnlySpan<PdqHash> queries, int maxDistance = Pdq.MatchDistance)
    {
        var collector = new MatchCollector();
        lock (_lock)
        {
            var words = _words;
            for (var i = 0; i < _count; i++)
            {
                var w = i * 4;
                ulong a = words[w], b = words[w + 1], c = words[w + 2], d = words[w + 3];
                for (var q = 0; q < queries.Length; q++)
                {
                    var query = queries[q];
                    var distance = BitOperations.PopCount(a ^ query.W0) + BitOperations.PopCount(b ^ query.W1)
                        + BitOperations.PopCount(c ^ query.W2) + BitOperations.PopCount(d ^ query.W3);
                    if (distance <= maxDistance) collector.Offer(_ids[i], new PdqHash(a, b, c, d), distance, q);
                }
            }
        }
        return collector.ToList();
    }
}
