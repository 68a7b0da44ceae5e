using System.Globalization;
using OnSeoulSafe.Hashing.Video;

namespace OnSeoulSafe.Hashing.Tests;

/// <summary>vPDQ through ffmpeg against the reference tool's frame hashes of the sample video (compared at distance 31, as upstream does).</summary>
public sealed class VideoTests
{
    private static readonly string Sample = Vectors.PathOf("video/test-padded-dimensions.mp4");

    private static Dictionary<int, (int Quality, PdqHash Hash)> Expected() =>
        File.ReadAllLines(Vectors.PathOf("video/test-padded-dimensions.expected.txt")).Where(l => l.Length > 0)
            .Select(l => l.Split(','))
            .ToDictionary(p => int.Parse(p[0], CultureInfo.InvariantCulture), p => (int.Parse(p[1], CultureInfo.InvariantCulture), PdqHash.Parse(p[2])));

    [Fact]
    public async Task OneHashPerSecond_SameFramesAsTheReference_WithinTheMatchDistance()
    {
        var expected = Expected();

        var video = await Vpdq.HashFileAsync(Sample);

        video.FramesPerSecond.ShouldBe(30);
        (video.Width, video.Height).ShouldBe((1080, 1080));
        video.Frames.Select(f => f.FrameNumber).ShouldBe([0, 30, 60, 90, 120]);
        video.Frames.Select(f => f.Seconds).ShouldBe([0.0, 1.0, 2.0, 3.0, 4.0]);
        foreach (var frame in video.Frames)
        {
            frame.Hash.DistanceTo(expected[frame.FrameNumber].Hash).ShouldBeLessThanOrEqualTo(Pdq.MatchDistance);
            frame.Quality.ShouldBeGreaterThanOrEqualTo(Pdq.MinQuality);
        }
        video.Truncated.ShouldBeFalse();
    }

    [Fact]
    public async Task EveryFrame_AllWithinTheMatchDistance_AndTheVideosMatch()
    {
        var expected = Expected();

        var video = await Vpdq.HashFileAsync(Sample, new VideoLimits { SecondsPerHash = 0 });

        video.Frames.Count.ShouldBe(150);
        video.Frames.ShouldAllBe(f => f.Hash.DistanceTo(expected[f.FrameNumber].Hash) <= Pdq.MatchDistance);
        var reference = new VpdqHash(expected.OrderBy(e => e.Key).Select(e => new VpdqFrame(e.Key, e.Key / 30.0, e.Value.Hash, e.Value.Quality)).ToList(),
            1080, 1080, 30, false);
        var comparison = Vpdq.Compare(video, reference);
        comparison.IsMatch.ShouldBeTrue();
        comparison.QueryMatchPercent.ShouldBe(100);
    }

    [Fact]
    public async Task Compare_AnotherVideo_NoMatch()
    {
        var video = await Vpdq.HashFileAsync(Sample);
        var random = new Random(2);
        var other = new VpdqHash(video.Frames.Select(f => f with { Hash = IndexTests.Flip(f.Hash, 100, random) }).ToList(), 1080, 1080, 30, false);

        var comparison = Vpdq.Compare(video, other);

        comparison.IsMatch.ShouldBeFalse();
        comparison.QueryMatchPercent.ShouldBe(0);
    }

    [Fact]
    public async Task FrameLimit_StopsAndSaysSo()
    {
        var video = await Vpdq.HashFileAsync(Sample, new VideoLimits { SecondsPerHash = 0, MaxFrames = 2 });

        video.Frames.Count.ShouldBe(2);
        video.Truncated.ShouldBeTrue();
    }

    [Fact]
    public async Task TimeLimit_KillsFfmpegAndRefusesAsTimedOut()
    {
        var refused = await Should.ThrowAsync<HashingException>(() => Vpdq.HashFileAsync(Sample, new VideoLimits { MaxTime = TimeSpan.FromMilliseconds(1) }));

        refused.Reason.ShouldBe(HashingFailure.TimedOut);
    }

    [Fact]
    public async Task CallerCancels_Cancelled()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => Vpdq.HashFileAsync(Sample, cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task FrameSizeLimit_RefusedBeforeDecoding()
    {
        var refused = await Should.ThrowAsync<HashingException>(() => Vpdq.HashFileAsync(Sample, new VideoLimits { MaxFramePixels = 1_000_000 }));

        refused.Reason.ShouldBe(HashingFailure.TooLarge);
    }

    [Fact]
    public async Task NotAVideo_UnknownFormat()
    {
        var refused = await Should.ThrowAsync<HashingException>(() => Vpdq.HashFileAsync(Vectors.PathOf("README.md")));

        refused.Reason.ShouldBe(HashingFailure.UnknownFormat);
    }
}
