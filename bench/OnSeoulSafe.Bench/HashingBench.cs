using System.Diagnostics;
using System.Globalization;
using OnSeoulSafe.Hashing;
using OnSeoulSafe.Hashing.Index;
using OnSeoulSafe.Hashing.Video;
using SkiaSharp;

namespace OnSeoulSafe.Bench;

/// <summary>
/// The perceptual hashing rows (tool <c>hashing</c>, group <c>hashing</c>): in-process, one thread, no portal. Each row
/// reports operations a second in the req/s column and per-operation latency, and is judged like every other row
/// against the baseline measured just before it in the same run:
/// pictures hashed against the same pictures only decoded by the same decoder; index queries against a brute-force
/// scan of the same hashes with the same queries; video frames hashed against ffmpeg decoding the same frames alone.
/// </summary>
public sealed class HashingBench(BenchOptions options)
{
    private readonly Dictionary<long, Haystack> _haystacks = [];
    private List<byte[]>? _pictures;
    private string? _video;

    private sealed record Haystack(List<PdqIndexEntry> Entries, PdqHash[][] Queries)
    {
        public FlatPdqIndex? Flat { get; set; }
        public MultiIndexPdqIndex? Index { get; set; }
        public double LoadSeconds { get; set; }
    }

    public async Task<LoadResult> MeasureAsync(Scenario scenario, Outcome outcome, TimeSpan warmup, TimeSpan measured, CancellationToken cancellationToken)
    {
        switch (scenario.Flow)
        {
            case "image-decode":
                return Repeat(Pictures(), warmup, measured, bytes => Decode(bytes), cancellationToken);
            case "image-hash":
                return Repeat(Pictures(), warmup, measured, bytes => PdqImage.Hash(bytes), cancellationToken);
            case "match-flat":
                {
                    var haystack = Prepare(scenario.Hashes);
                    haystack.Flat ??= new FlatPdqIndex(haystack.Entries);
                    Describe(outcome, haystack);
                    return Repeat(haystack.Queries, warmup, measured, q => haystack.Flat.Query(q), cancellationToken);
                }
            case "match-index":
                {
                    var haystack = Prepare(scenario.Hashes);
                    BuildIndex(haystack);
                    // Every query's answer is checked against the scan once, so a fast wrong index cannot pass.
                    var flat = haystack.Flat ?? new FlatPdqIndex(haystack.Entries);
                    var mismatches = haystack.Queries.Take(20).Count(q => !haystack.Index!.Query(q).SequenceEqual(flat.Query(q)));
                    outcome.Target($"answers equal the brute-force scan's ({mismatches} of 20 differ)", mismatches == 0);
                    Describe(outcome, haystack);
                    return Repeat(haystack.Queries, warmup, measured, q => haystack.Index!.Query(q), cancellationToken);
                }
            case "index-load":
                {
                    var haystack = Prepare(scenario.Hashes);
                    BuildIndex(haystack);
                    var bytesPerHash = haystack.Index!.MemoryBytes / (double)haystack.Entries.Count;
                    outcome.Checks["hashes"] = haystack.Entries.Count;
                    outcome.Checks["bytesPerHash"] = (long)Math.Round(bytesPerHash);
                    outcome.Checks["loadMs"] = (long)(haystack.LoadSeconds * 1000);
                    outcome.Target($"memory {bytesPerHash:0.0} bytes a hash ≤ {scenario.MaxBytesPerHash}", bytesPerHash <= scenario.MaxBytesPerHash);
                    var ms = haystack.LoadSeconds * 1000;
                    return new LoadResult(haystack.Entries.Count, 0, haystack.LoadSeconds, ms, ms, ms, ms);
                }
            case "video-decode":
                return await VideoAsync(outcome, hash: false, cancellationToken);
            case "video-hash":
                return await VideoAsync(outcome, hash: true, cancellationToken);
            default:
                throw new InvalidOperationException($"Unknown hashing flow '{scenario.Flow}'.");
        }
    }

    private static void Describe(Outcome outcome, Haystack haystack)
    {
        outcome.Checks["hashes"] = haystack.Entries.Count;
        outcome.Checks["queryHashes"] = haystack.Queries[0].Length;
    }

    /// <summary>Frees the haystacks of other sizes (10,000,000 hashes and their indexes hold about 2 GB).</summary>
    public void Release(long keep)
    {
        foreach (var size in _haystacks.Keys.Where(k => k != keep).ToList()) _haystacks.Remove(size);
        GC.Collect();
    }

    /// <summary>The vectors' pictures (JPEGs and lossless PNGs, 60 px to 1600 px), read once into memory.</summary>
    private List<byte[]> Pictures()
    {
        if (_pictures is not null) return _pictures;
        var vectors = Path.GetFullPath(Path.Combine(options.Root, "..", "shared", "pdq-vectors"));
        var files = new[] { "images", "pixels" }.Select(d => Path.Combine(vectors, d)).Where(Directory.Exists)
            .SelectMany(Directory.GetFiles).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new InvalidOperationException($"No pictures found under {vectors} (../shared/pdq-vectors).");
        return _pictures = files.Select(File.ReadAllBytes).ToList();
    }

    /// <summary>What <see cref="PdqImage"/> does before hashing: the header, then every pixel as 8-bit RGBA (or grey).</summary>
    private static int Decode(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        using var codec = SKCodec.Create(stream) ?? throw new InvalidOperationException("A bench picture could not be opened.");
        var grey = codec.Info.ColorType == SKColorType.Gray8;
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888,
            grey ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        var pixels = GC.AllocateUninitializedArray<byte>(info.BytesSize);
        unsafe
        {
            fixed (byte* address = pixels)
            {
                return (int)codec.GetPixels(info, (IntPtr)address, info.RowBytes, new SKCodecOptions(0));
            }
        }
    }

    private Haystack Prepare(long? size)
    {
        var count = (int)(size ?? throw new InvalidOperationException("A matching scenario needs \"hashes\"."));
        if (_haystacks.TryGetValue(count, out var ready)) return ready;
        Release(count);
        Console.WriteLine($"    generating {count:N0} random hashes and 1,000 queries of 8 hashes (one a near copy at distance 10 to 31)");
        var random = new Random(20);
        var entries = new List<PdqIndexEntry>(count);
        Span<byte> bytes = stackalloc byte[32];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            entries.Add(new PdqIndexEntry(i, PdqHash.FromBytes(bytes)));
        }
        var queries = new PdqHash[1000][];
        for (var q = 0; q < queries.Length; q++)
        {
            queries[q] = new PdqHash[8];
            for (var k = 0; k < 8; k++)
            {
                random.NextBytes(bytes);
                queries[q][k] = PdqHash.FromBytes(bytes);
            }
            var stored = entries[random.Next(count)].Hash;
            queries[q][0] = Flip(stored, random.Next(10, 32), random);
        }
        return _haystacks[count] = new Haystack(entries, queries);
    }

    private static PdqHash Flip(PdqHash hash, int bits, Random random)
    {
        var words = new[] { hash.W0, hash.W1, hash.W2, hash.W3 };
        var flipped = new HashSet<int>();
        while (flipped.Count < bits) flipped.Add(random.Next(256));
        foreach (var bit in flipped) words[bit >> 6] ^= 1UL << (bit & 63);
        return new PdqHash(words[0], words[1], words[2], words[3]);
    }

    private static void BuildIndex(Haystack haystack)
    {
        if (haystack.Index is not null) return;
        var watch = Stopwatch.StartNew();
        haystack.Index = new MultiIndexPdqIndex(haystack.Entries);
        haystack.LoadSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    index of {haystack.Entries.Count:N0} hashes built in {haystack.LoadSeconds:0.00} s, {haystack.Index.MemoryBytes / (double)haystack.Entries.Count:0.0} bytes a hash"));
    }

    /// <summary>Runs <paramref name="work"/> over the items in turn on this thread: a warm-up, then the measured time.</summary>
    private static LoadResult Repeat<T, TResult>(IReadOnlyList<T> items, TimeSpan warmup, TimeSpan measured, Func<T, TResult> work, CancellationToken cancellationToken)
    {
        var index = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < warmup && !cancellationToken.IsCancellationRequested)
        {
            GC.KeepAlive(work(items[index++ % items.Count]));
        }
        var ticks = new List<long>();
        watch.Restart();
        while ((watch.Elapsed < measured || ticks.Count < 5) && !cancellationToken.IsCancellationRequested)
        {
            var start = Stopwatch.GetTimestamp();
            GC.KeepAlive(work(items[index++ % items.Count]));
            ticks.Add(Stopwatch.GetTimestamp() - start);
        }
        return LoadResult.FromLatencies(ticks, 0, watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Every frame of the vectors' sample video, looped to 1,200 frames (1080x1080): decoded by ffmpeg to RGB alone
    /// (the same command vPDQ runs, its output read and dropped), or decoded and hashed by <see cref="Vpdq"/>.
    /// Latency columns are per frame, averaged over the run.
    /// </summary>
    private async Task<LoadResult> VideoAsync(Outcome outcome, bool hash, CancellationToken cancellationToken)
    {
        var video = await VideoFileAsync(cancellationToken);
        var watch = Stopwatch.StartNew();
        long frames;
        if (hash)
        {
            frames = (await Vpdq.HashFileAsync(video, new VideoLimits { SecondsPerHash = 0, MaxFrames = 100_000 }, cancellationToken)).Frames.Count;
        }
        else
        {
            var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-nostdin", "-v", "error", "-noautorotate", "-i", video, "-map", "0:v:0", "-fps_mode", "passthrough",
                "-sws_flags", "area", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1" })
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            var buffer = new byte[1 << 20];
            long total = 0;
            int read;
            while ((read = await process.StandardOutput.BaseStream.ReadAsync(buffer, cancellationToken)) > 0) total += read;
            await process.WaitForExitAsync(cancellationToken);
            await errors;
            frames = total / (1080 * 1080 * 3);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        outcome.Checks["frames"] = frames;
        var perFrame = seconds * 1000 / Math.Max(1, frames);
        return new LoadResult(frames, 0, seconds, perFrame, perFrame, perFrame, perFrame);
    }

    private async Task<string> VideoFileAsync(CancellationToken cancellationToken)
    {
        if (_video is not null) return _video;
        var sample = Path.GetFullPath(Path.Combine(options.Root, "..", "shared", "pdq-vectors", "video", "test-padded-dimensions.mp4"));
        var looped = Path.Combine(Path.GetTempPath(), $"onseoulsafe-bench-video-{Environment.ProcessId}.mp4");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-nostdin", "-v", "error", "-y", "-stream_loop", "7", "-i", sample, "-c", "copy", looped })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not prepare the bench video: {error.Trim()}");
        return _video = looped;
    }

    public void DeleteFiles()
    {
        if (_video is not null) File.Delete(_video);
    }
}
