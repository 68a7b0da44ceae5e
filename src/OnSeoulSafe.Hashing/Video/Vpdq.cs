using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace OnSeoulSafe.Hashing.Video;

/// <summary>One hashed frame: its number in the video, its time in seconds, and its PDQ hash and quality.</summary>
public sealed record VpdqFrame(int FrameNumber, double Seconds, PdqHash Hash, int Quality);

/// <summary>A video's frame hashes (vPDQ), with what was read; <see cref="Truncated"/> when the frame limit stopped it.</summary>
public sealed record VpdqHash(IReadOnlyList<VpdqFrame> Frames, int Width, int Height, double FramesPerSecond, bool Truncated);

/// <summary>How much a video may cost to hash.</summary>
public sealed record VideoLimits
{
    public static readonly VideoLimits Default = new();

    /// <summary>Seconds between hashed frames (vPDQ hashes every ⌊seconds·fps⌋-th frame); 0 hashes every frame.</summary>
    public double SecondsPerHash { get; init; } = 1;

    /// <summary>Frames hashed at most: 3,600 is an hour at one a second; a longer video is hashed up to there.</summary>
    public int MaxFrames { get; init; } = 3_600;

    /// <summary>A frame larger than this (width x height) is refused before decoding (4096 x 4096).</summary>
    public long MaxFramePixels { get; init; } = 4096L * 4096;

    /// <summary>Wall-clock time for the whole video; ffmpeg is killed and the hash refused beyond it.</summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromMinutes(5);

    public string FfmpegPath { get; init; } = "ffmpeg";
    public string FfprobePath { get; init; } = "ffprobe";
}

/// <summary>
/// vPDQ: one PDQ hash per second of video, from frames ffmpeg decodes (a child process writing raw RGB to a pipe,
/// converted with the area filter as the reference's vPDQ does), and the reference's "bag of hashes" comparison.
/// Bounded in frames, frame size and time; ffmpeg is killed on cancellation or time-out. Frame hashes depend on the
/// decoder, so two decoders' hashes of one video are compared at the match distance, not bit for bit.
/// </summary>
public static class Vpdq
{
    /// <summary>Share of one video's frames that must match the other's (the reference's comparison threshold, 80 %).</summary>
    public const double MatchPercent = 80;

    public static async Task<VpdqHash> HashFileAsync(string path, VideoLimits? limits = null, CancellationToken cancellationToken = default)
    {
        limits ??= VideoLimits.Default;
        cancellationToken.ThrowIfCancellationRequested();
        if (new FileInfo(path).Length == 0) throw new HashingException(HashingFailure.Empty, "The file is empty.");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.MaxTime);
        try
        {
            var stream = await ProbeAsync(path, limits, timeout.Token);
            return await DecodeAsync(path, stream, limits, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HashingException(HashingFailure.TimedOut, $"Decoding the video took longer than {limits.MaxTime.TotalSeconds:0} s.");
        }
    }

    /// <summary>The reference's comparison: the share of each video's distinct, reliable frame hashes that match a frame of the other.</summary>
    public static VpdqComparison Compare(VpdqHash query, VpdqHash compared, int maxDistance = Pdq.MatchDistance, int minQuality = Pdq.MinQuality)
    {
        var a = Usable(query, minQuality);
        var b = Usable(compared, minQuality);
        if (a.Length == 0 || b.Length == 0) return new VpdqComparison(0, 0, a.Length, b.Length);
        static double Share(PdqHash[] from, PdqHash[] to, int distance) =>
            100.0 * from.Count(h => to.Any(o => h.DistanceTo(o) <= distance)) / from.Length;
        return new VpdqComparison(Share(a, b, maxDistance), Share(b, a, maxDistance), a.Length, b.Length);
    }

    private static PdqHash[] Usable(VpdqHash video, int minQuality) =>
        video.Frames.Where(f => f.Quality >= minQuality).Select(f => f.Hash).Distinct().ToArray();

    private sealed record VideoStream(int Width, int Height, double FramesPerSecond);

    private static async Task<VideoStream> ProbeAsync(string path, VideoLimits limits, CancellationToken cancellationToken)
    {
        var (exit, output, error) = await RunAsync(limits.FfprobePath,
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height,avg_frame_rate,r_frame_rate",
             "-of", "default=noprint_wrappers=1", path], cancellationToken);
        var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2)).Where(p => p.Length == 2).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        if (exit != 0 || !values.TryGetValue("width", out var w) || !values.TryGetValue("height", out var h))
        {
            throw new HashingException(HashingFailure.UnknownFormat,
                $"The file is not a video that can be read{(error.Length > 0 && exit != 0 ? " (ffprobe: " + FirstLine(error) + ")" : "")}.");
        }
        if (!int.TryParse(w, CultureInfo.InvariantCulture, out var width) || !int.TryParse(h, CultureInfo.InvariantCulture, out var height)
            || width <= 0 || height <= 0)
        {
            throw new HashingException(HashingFailure.Corrupt, "The video declares no frame size.");
        }
        if ((long)width * height > limits.MaxFramePixels)
        {
            throw new HashingException(HashingFailure.TooLarge, $"The video's frames are {width} x {height}, over the limit of {limits.MaxFramePixels:N0} pixels.");
        }
        var fps = Rate(values.GetValueOrDefault("avg_frame_rate")) ?? Rate(values.GetValueOrDefault("r_frame_rate")) ?? 25;
        return new VideoStream(width, height, fps);
    }

    private static double? Rate(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        var parts = value.Split('/');
        if (!double.TryParse(parts[0], CultureInfo.InvariantCulture, out var numerator)) return null;
        var denominator = parts.Length > 1 && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var d) ? d : 1;
        var rate = denominator == 0 ? 0 : numerator / denominator;
        return rate is > 0 and < 1000 ? rate : null;
    }

    private static async Task<VpdqHash> DecodeAsync(string path, VideoStream video, VideoLimits limits, CancellationToken cancellationToken)
    {
        // The reference hashes frame n when n mod ⌊seconds·fps⌋ = 0, at time n / fps.
        var every = Math.Max(1, (int)(limits.SecondsPerHash * video.FramesPerSecond));
        var arguments = new List<string> { "-nostdin", "-v", "error", "-noautorotate", "-i", path, "-map", "0:v:0" };
        if (every > 1) arguments.AddRange(["-vf", $"select=not(mod(n\\,{every}))"]);
        arguments.AddRange(["-fps_mode", "passthrough", "-frames:v", limits.MaxFrames.ToString(CultureInfo.InvariantCulture),
            "-sws_flags", "area", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);

        using var process = Start(limits.FfmpegPath, arguments);
        using var kill = cancellationToken.Register(() => Kill(process));
        var errors = ReadBoundedAsync(process.StandardError);
        var frameBytes = video.Width * video.Height * 3;
        // Two frame buffers: ffmpeg decodes the next frame into the pipe while this one is hashed.
        var buffers = new[] { new byte[frameBytes], new byte[frameBytes] };
        var frames = new List<VpdqFrame>();
        var output = process.StandardOutput.BaseStream;
        var current = 0;
        var next = output.ReadAtLeastAsync(buffers[current], frameBytes, throwOnEndOfStream: false, cancellationToken).AsTask();
        try
        {
            while (frames.Count < limits.MaxFrames)
            {
                var read = await next;
                if (read < frameBytes) break;
                var frame = buffers[current];
                current ^= 1;
                next = frames.Count + 1 < limits.MaxFrames
                    ? output.ReadAtLeastAsync(buffers[current], frameBytes, throwOnEndOfStream: false, cancellationToken).AsTask()
                    : Task.FromResult(0);
                var number = frames.Count * every;
                var result = Pdq.FromLuma(Pdq.LumaFromRgb(frame, video.Width, video.Height, 3, reuse: true), video.Width, video.Height);
                frames.Add(new VpdqFrame(number, Math.Round(number / video.FramesPerSecond, 3), result.Hash, result.Quality));
            }
            if (frames.Count < limits.MaxFrames) await process.WaitForExitAsync(cancellationToken);
        }
        finally
        {
            Kill(process);
            try
            {
                await next;
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The read in flight ends with the process.
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (frames.Count == 0)
        {
            throw new HashingException(HashingFailure.Corrupt, $"No frame of the video could be decoded ({FirstLine(await errors)}).");
        }
        return new VpdqHash(frames, video.Width, video.Height, video.FramesPerSecond, frames.Count >= limits.MaxFrames);
    }

    private static Process Start(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            return Process.Start(start) ?? throw new HashingException(HashingFailure.ToolMissing, $"{file} could not be started.");
        }
        catch (Win32Exception ex)
        {
            throw new HashingException(HashingFailure.ToolMissing, $"{file} is not installed (apt-get install ffmpeg).", ex);
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Start(file, arguments);
        using var kill = cancellationToken.Register(() => Kill(process));
        var output = ReadBoundedAsync(process.StandardOutput);
        var error = ReadBoundedAsync(process.StandardError);
        await process.WaitForExitAsync(cancellationToken);
        // A process killed by the token may have exited before the wait looked at the token.
        cancellationToken.ThrowIfCancellationRequested();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Reads a text stream to its end, keeping only its first 8 KB (a hostile file can make ffmpeg say a lot).</summary>
    private static async Task<string> ReadBoundedAsync(StreamReader reader)
    {
        var kept = new StringBuilder();
        var chunk = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(chunk)) > 0)
        {
            if (kept.Length < 8192) kept.Append(chunk, 0, Math.Min(read, 8192 - kept.Length));
        }
        return kept.ToString();
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no detail";
        // ffmpeg starts its messages with the input's path: keep only what it says about the data.
        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        return colon >= 0 ? line[(colon + 2)..] : line;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}

/// <summary>
/// The vPDQ comparison of two videos: the share (percent) of the query's distinct reliable frame hashes that match a frame of the
/// compared video, and the other way round. They match when one video's share reaches <see cref="Vpdq.MatchPercent"/>:
/// a clip cut from a longer video matches it, as does the longer video found again.
/// </summary>
public sealed record VpdqComparison(double QueryMatchPercent, double ComparedMatchPercent, int QueryFrames, int ComparedFrames)
{
    public bool IsMatch => QueryFrames > 0 && ComparedFrames > 0
        && Math.Max(QueryMatchPercent, ComparedMatchPercent) >= Vpdq.MatchPercent;
}
