using System.Globalization;

namespace OnSeoulSafe.Hashing.Cli;

/// <summary>
/// <c>./build.sh hash FILE...</c>: for people who check files by hand. One line per file: <c>pdq HEX QUALITY FILE</c> for a
/// picture, or <c>vpdq FRAMES FILE</c> followed by one <c>FRAME,QUALITY,HEX,SECONDS</c> line per hashed frame (the reference
/// vPDQ tool's format), then always <c>sha256 HEX FILE</c>. A file that cannot be read or hashed gets a message on
/// standard error, and the exit status is 2.
/// </summary>
public static class HashCommand
{
    public const int Unreadable = 2;
    public const int Usage = 64;

    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await RunAsync(args, Console.Out, Console.Error, cancel.Token);
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> files, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            await error.WriteLineAsync("usage: ./build.sh hash FILE...");
            return Usage;
        }
        var status = 0;
        foreach (var file in files)
        {
            FileHashes hashes;
            try
            {
                hashes = await FileHasher.HashAsync(file, cancellationToken: cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"{file}: cannot be read: {ex.Message}");
                status = Unreadable;
                continue;
            }

            if (hashes.Image is { } image)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"pdq {image.Hash} {image.Quality} {file}"));
            }
            else if (hashes.Video is { } video)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"vpdq {video.Frames.Count} {file}"));
                foreach (var frame in video.Frames)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{frame.FrameNumber},{frame.Quality},{frame.Hash},{frame.Seconds:0.000}"));
                }
                if (video.Truncated) await error.WriteLineAsync($"{file}: only the first {video.Frames.Count} hashed frames were kept (the limit).");
            }
            await output.WriteLineAsync($"sha256 {hashes.Sha256} {file}");
            if (hashes.Failure is { } failure)
            {
                await error.WriteLineAsync($"{file}: no perceptual hash ({failure.Reason}): {failure.Message} Only an unchanged copy can be recognised, by its SHA-256.");
                status = Unreadable;
            }
        }
        return status;
    }
}
