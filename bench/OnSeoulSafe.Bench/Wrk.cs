using System.Diagnostics;
using System.Text.Json;

namespace OnSeoulSafe.Bench;

/// <summary>Runs wrk (Debian's package) with bench/wrk/summary.lua and reads the JSON line it prints.</summary>
public static class Wrk
{
    public static async Task<LoadResult> RunAsync(string scriptPath, Uri url, int connections, TimeSpan duration, string? cookie, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-t", Math.Min(Environment.ProcessorCount, connections).ToString(), "-c", connections.ToString(),
            "-d", $"{(int)Math.Ceiling(duration.TotalSeconds)}s", "--timeout", "10s", "-s", scriptPath,
        })
        {
            start.ArgumentList.Add(argument);
        }
        if (cookie is not null)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add("Cookie: " + cookie);
        }
        start.ArgumentList.Add(url.ToString());

        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk could not be started.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var line = (await output).Split('\n').FirstOrDefault(l => l.StartsWith("BENCH_JSON ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no summary (exit code {process.ExitCode}): {await error}");
        var summary = JsonSerializer.Deserialize<WrkSummary>(line["BENCH_JSON ".Length..], ScenarioFile.Json)!;
        var errors = summary.ConnectErrors + summary.ReadErrors + summary.WriteErrors + summary.StatusErrors + summary.Timeouts;
        return new LoadResult(summary.Requests, errors, summary.DurationUs / 1e6, summary.P50Us / 1e3, summary.P95Us / 1e3, summary.P99Us / 1e3, summary.MaxUs / 1e3);
    }

    private sealed record WrkSummary(
        long Requests, long DurationUs, long ConnectErrors, long ReadErrors, long WriteErrors, long StatusErrors, long Timeouts,
        long P50Us, long P95Us, long P99Us, long MaxUs);
}
