using OnSeoulSafe.Hashing.Index;

namespace OnSeoulSafe.Hashing.Tests;

/// <summary>The multi-index against the brute-force scan on random hashes with near copies planted at known distances.</summary>
public sealed class IndexTests
{
    private static PdqHash RandomHash(Random random) =>
        new((ulong)random.NextInt64() ^ ((ulong)random.Next() << 33), (ulong)random.NextInt64() ^ ((ulong)random.Next() << 33),
            (ulong)random.NextInt64() ^ ((ulong)random.Next() << 33), (ulong)random.NextInt64() ^ ((ulong)random.Next() << 33));

    /// <summary>A copy of <paramref name="hash"/> with exactly <paramref name="bits"/> distinct bits flipped.</summary>
    internal static PdqHash Flip(PdqHash hash, int bits, Random random)
    {
        var words = new[] { hash.W0, hash.W1, hash.W2, hash.W3 };
        foreach (var bit in Enumerable.Range(0, 256).OrderBy(_ => random.Next()).Take(bits))
        {
            words[bit >> 6] ^= 1UL << (bit & 63);
        }
        return new PdqHash(words[0], words[1], words[2], words[3]);
    }

    /// <summary>
    /// Flips chosen to be hard for the index: spread so that no 16-bit word differs by 0 or 1 bit more than it must
    /// (31 flips: fifteen words with 2 and one with 1), the case a probe radius one too small would miss.
    /// </summary>
    private static PdqHash SpreadFlip(PdqHash hash, int bits, Random random)
    {
        var words = new[] { hash.W0, hash.W1, hash.W2, hash.W3 };
        var perWord = new int[16];
        for (var i = 0; i < bits; i++) perWord[i % 16]++;
        for (var w = 0; w < 16; w++)
        {
            foreach (var offset in Enumerable.Range(0, 16).OrderBy(_ => random.Next()).Take(perWord[w]))
            {
                var bit = w * 16 + offset;
                words[bit >> 6] ^= 1UL << (bit & 63);
            }
        }
        return new PdqHash(words[0], words[1], words[2], words[3]);
    }

    private static (List<PdqIndexEntry> Entries, List<(PdqHash Query, long Id, int Distance)> Planted) Haystack(int size, int seed)
    {
        var random = new Random(seed);
        var entries = Enumerable.Range(0, size).Select(i => new PdqIndexEntry(i, RandomHash(random))).ToList();
        var planted = new List<(PdqHash, long, int)>();
        long id = 1_000_000;
        foreach (var distance in new[] { 0, 16, 31, 32 })
        {
            for (var n = 0; n < 10; n++)
            {
                var query = RandomHash(random);
                var near = n % 2 == 0 ? Flip(query, distance, random) : SpreadFlip(query, distance, random);
                entries.Add(new PdqIndexEntry(id, near));
                planted.Add((query, id, distance));
                id++;
            }
        }
        return (entries, planted);
    }

    [Fact]
    public void Query_PlantedNearCopies_FoundUpTo31AndNotAt32_SameAsBruteForce()
    {
        var (entries, planted) = Haystack(50_000, seed: 20);
        var index = new MultiIndexPdqIndex(entries);
        var flat = new FlatPdqIndex(entries);

        foreach (var (query, id, distance) in planted)
        {
            var found = index.Query([query]);
            found.ShouldBe(flat.Query([query]));
            if (distance <= 31)
            {
                found.ShouldContain(m => m.Id == id && m.Distance == distance);
            }
            else
            {
                found.ShouldNotContain(m => m.Id == id);
                index.Query([query], maxDistance: 32).ShouldContain(m => m.Id == id && m.Distance == 32);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(31)]
    [InlineData(40)]
    [InlineData(63)]
    public void Query_RandomNeedlesAtManyDistances_SameAsBruteForce(int maxDistance)
    {
        var random = new Random(maxDistance);
        var entries = new List<PdqIndexEntry>();
        for (var i = 0; i < 3_000; i++)
        {
            // Clusters of near hashes so every distance up to 63 has answers.
            var centre = RandomHash(random);
            entries.Add(new PdqIndexEntry(i * 4, centre));
            for (var k = 1; k < 4; k++) entries.Add(new PdqIndexEntry(i * 4 + k, Flip(centre, random.Next(0, 70), random)));
        }
        var index = new MultiIndexPdqIndex(entries);
        var flat = new FlatPdqIndex(entries);

        var total = 0;
        for (var n = 0; n < 200; n++)
        {
            var needle = Flip(entries[random.Next(entries.Count)].Hash, random.Next(0, 40), random);
            var expected = flat.Query([needle], maxDistance);
            index.Query([needle], maxDistance).ShouldBe(expected);
            total += expected.Count;
        }
        total.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Query_EightDihedrals_EachIdOnceWithItsClosestQuery()
    {
        var random = new Random(8);
        var stored = RandomHash(random);
        var entries = new List<PdqIndexEntry> { new(7, stored), new(7, Flip(stored, 3, random)), new(9, Flip(stored, 20, random)) };
        var queries = Enumerable.Range(0, 8).Select(_ => RandomHash(random)).ToArray();
        queries[5] = Flip(stored, 2, random);
        var index = new MultiIndexPdqIndex(entries);

        var found = index.Query(queries);

        found.Select(m => m.Id).ShouldBe([7L, 9L]);
        found[0].Distance.ShouldBe(2);
        found[0].QueryIndex.ShouldBe(5);
        found.ShouldBe(new FlatPdqIndex(entries).Query(queries));
    }

    [Fact]
    public void AddAndRemoveAfterBuild_SeenAtOnce_AndKeptThroughAMerge()
    {
        var (entries, planted) = Haystack(20_000, seed: 3);
        var index = new MultiIndexPdqIndex(entries, mergeThreshold: int.MaxValue);
        var flat = new FlatPdqIndex(entries);
        var random = new Random(4);
        var (query, plantedId, _) = planted.First(p => p.Distance == 16);

        // Added after the build: found from the delta.
        var added = Flip(query, 5, random);
        index.Add(42_000_000, added);
        flat.Add(42_000_000, added);
        index.Query([query]).ShouldContain(m => m.Id == 42_000_000 && m.Distance == 5);

        // Removed after the build: gone from the built part and from the delta.
        index.Remove(plantedId);
        flat.Remove(plantedId);
        index.Query([query]).ShouldNotContain(m => m.Id == plantedId);
        index.Remove(42_000_000);
        flat.Remove(42_000_000);
        index.Query([query]).ShouldBeEmpty();
        index.Count.ShouldBe(flat.Count);

        // Added again under a removed id: found, and the old hash stays gone.
        var again = Flip(query, 9, random);
        index.Add(plantedId, again);
        flat.Add(plantedId, again);
        index.Query([query]).ShouldBe(flat.Query([query]));
        index.Query([query]).Single().Distance.ShouldBe(9);

        index.MergeNow();

        index.Pending.ShouldBe((0, 0));
        index.Count.ShouldBe(flat.Count);
        foreach (var (q, _, _) in planted) index.Query([q], 40).ShouldBe(flat.Query([q], 40));
    }

    [Fact]
    public async Task ConcurrentQueriesWhileWriting_NeverFailAndEndConsistent()
    {
        var (entries, planted) = Haystack(20_000, seed: 5);
        var index = new MultiIndexPdqIndex(entries, mergeThreshold: 64);
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var (query, id, distance) in planted.Where(p => p.Distance <= 31))
                {
                    if (!index.Query([query]).Any(m => m.Id == id)) Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        var random = new Random(6);
        var extra = new List<PdqIndexEntry>();
        for (var i = 0; i < 500; i++)
        {
            var entry = new PdqIndexEntry(50_000_000 + i, RandomHash(random));
            extra.Add(entry);
            index.Add(entry.Id, entry.Hash);
            if (i % 5 == 0) index.Remove(entry.Id);
        }
        stop.Cancel();
        await Task.WhenAll(readers);
        index.MergeNow();

        failures.ShouldBe(0);
        var expected = new FlatPdqIndex(entries.Concat(extra.Where((_, i) => i % 5 != 0)).ToList());
        index.Count.ShouldBe(expected.Count);
        foreach (var entry in extra.Take(50)) index.Query([entry.Hash], 0).ShouldBe(expected.Query([entry.Hash], 0));
    }

    [Fact]
    public void Memory_AtMostFourTimesTheRawHash()
    {
        var (entries, _) = Haystack(200_000, seed: 9);
        var index = new MultiIndexPdqIndex(entries);

        (index.MemoryBytes / (double)entries.Count).ShouldBeLessThanOrEqualTo(128);
    }

    /// <summary>
    /// A copy of <paramref name="hash"/> with <paramref name="perSubstring"/>[t] bits flipped in substring t, taken from
    /// the substring's ends first (its first and last bits, where substrings meet and cross 64-bit words).
    /// </summary>
    private static PdqHash FlipAtSubstringEnds(PdqHash hash, int[] perSubstring)
    {
        var words = new[] { hash.W0, hash.W1, hash.W2, hash.W3 };
        for (var t = 0; t < HashSubstrings.Count; t++)
        {
            int start = HashSubstrings.Starts[t], width = HashSubstrings.Widths[t];
            for (var k = 0; k < perSubstring[t]; k++)
            {
                // First bit, last bit, second bit, second-to-last bit, ...
                var bit = k % 2 == 0 ? start + k / 2 : start + width - 1 - k / 2;
                words[bit >> 6] ^= 1UL << (bit & 63);
            }
        }
        return new PdqHash(words[0], words[1], words[2], words[3]);
    }

    [Fact]
    public void Substrings_CoverEveryBitOnce()
    {
        var covered = new int[256];
        for (var t = 0; t < HashSubstrings.Count; t++)
        {
            for (var b = 0; b < HashSubstrings.Widths[t]; b++) covered[HashSubstrings.Starts[t] + b]++;
        }

        covered.ShouldAllBe(c => c == 1);
        // Every bit of every substring, including those crossing from one 64-bit word into the next, is read back.
        for (var bit = 0; bit < 256; bit++)
        {
            var words = new ulong[4];
            words[bit >> 6] = 1UL << (bit & 63);
            var hash = new PdqHash(words[0], words[1], words[2], words[3]);
            var t = Enumerable.Range(0, HashSubstrings.Count).Last(s => HashSubstrings.Starts[s] <= bit);
            for (var s = 0; s < HashSubstrings.Count; s++)
            {
                HashSubstrings.Extract(hash, s).ShouldBe(s == t ? 1u << (bit - HashSubstrings.Starts[t]) : 0u);
            }
        }
    }

    /// <summary>
    /// The hardest near copies for eleven substrings: 31 bits with only two substrings 2 apart (the others 3), all at
    /// the substrings' ends; 33 bits at 3 in every substring are past radius 2 everywhere, found only when asked for 33.
    /// </summary>
    [Fact]
    public void Query_FlipsAtSubstringEnds_FoundExactlyAsFarAsAsked()
    {
        var random = new Random(11);
        var entries = Enumerable.Range(0, 30_000).Select(i => new PdqIndexEntry(i, RandomHash(random))).ToList();
        int[] worstAt31 = [3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2];
        int[] allAt3 = [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3];
        var queries = new List<(PdqHash Query, long Id, int Distance)>();
        for (var n = 0; n < 20; n++)
        {
            var query = RandomHash(random);
            var perSubstring = n % 2 == 0 ? worstAt31 : allAt3;
            // Rotate which substrings are the close ones, so each table is the only way in for some copy.
            var rotated = perSubstring.Select((_, t) => perSubstring[(t + n) % HashSubstrings.Count]).ToArray();
            entries.Add(new PdqIndexEntry(2_000_000 + n, FlipAtSubstringEnds(query, rotated)));
            queries.Add((query, 2_000_000 + n, rotated.Sum()));
        }
        var index = new MultiIndexPdqIndex(entries);
        var flat = new FlatPdqIndex(entries);

        foreach (var (query, id, distance) in queries)
        {
            index.Query([query]).ShouldBe(flat.Query([query]));
            index.Query([query]).Any(m => m.Id == id).ShouldBe(distance <= 31);
            index.Query([query], maxDistance: 33).ShouldContain(m => m.Id == id && m.Distance == distance);
            index.Query([query], maxDistance: 33).ShouldBe(flat.Query([query], maxDistance: 33));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(1_000)]
    public void Query_TinyIndexes_SameAsBruteForce(int size)
    {
        var random = new Random(size);
        var entries = Enumerable.Range(0, size).Select(i => new PdqIndexEntry(i, RandomHash(random))).ToList();
        var index = new MultiIndexPdqIndex(entries);
        var flat = new FlatPdqIndex(entries);

        foreach (var entry in entries.Take(50))
        {
            var near = Flip(entry.Hash, 20, random);
            index.Query([near]).ShouldBe(flat.Query([near]));
            index.Query([near]).ShouldContain(m => m.Id == entry.Id);
        }
        for (var n = 0; n < 50; n++)
        {
            var query = size == 0 ? RandomHash(random) : Flip(entries[random.Next(size)].Hash, random.Next(0, 34), random);
            index.Query([query]).ShouldBe(flat.Query([query]));
        }
        index.Count.ShouldBe(size);
    }

    /// <summary>Many copies of one hash fill one bucket of every table; an id holding several hashes is answered once, closest.</summary>
    [Fact]
    public void Query_DuplicateHashesAndIds_EachIdOnceAtItsClosest()
    {
        var random = new Random(12);
        var entries = Enumerable.Range(0, 5_000).Select(i => new PdqIndexEntry(i, RandomHash(random))).ToList();
        var common = RandomHash(random);
        for (var i = 0; i < 2_000; i++) entries.Add(new PdqIndexEntry(100_000 + i, common));
        entries.Add(new PdqIndexEntry(100_000, Flip(common, 1, random)));
        entries.Add(new PdqIndexEntry(7, Flip(common, 4, random)));
        var index = new MultiIndexPdqIndex(entries);

        PdqHash[] queries = [Flip(common, 2, random), common];

        var found = index.Query(queries);

        found.ShouldBe(new FlatPdqIndex(entries).Query(queries));
        found.Count.ShouldBe(2_001);
        found.Where(m => m.Id >= 100_000).ShouldAllBe(m => m.Distance == 0 && m.QueryIndex == 1);
        found.Single(m => m.Id == 7).Distance.ShouldBe(4);
        index.Remove(100_000);
        index.Query([common]).ShouldNotContain(m => m.Id == 100_000);
        index.MergeNow();
        index.Query([common]).Count.ShouldBe(2_000);
    }
}
