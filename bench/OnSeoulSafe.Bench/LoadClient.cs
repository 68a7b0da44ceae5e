using System.Diagnostics;

namespace OnSeoulSafe.Bench;

/// <summary>
/// A closed-loop load generator: N workers, each sending its next request as soon as the previous one is answered,
/// for a fixed time. When the time is up no new request starts, but every request in flight is awaited and counted,
/// so the server's side effects (cases, access-log rows) can be compared exactly with what the client saw.
/// </summary>
public static class LoadClient
{
    /// <summary>One request; returns true when the response is a success for this scenario.</summary>
    public delegate Task<bool> Send(CancellationToken cancellationToken);

    public static async Task<LoadResult> RunAsync(int connections, TimeSpan duration, Send send, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(() => WorkAsync(deadline, send, cancellationToken), cancellationToken)).ToArray();
        var outcomes = await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var latencies = new List<long>(outcomes.Sum(o => o.Latencies.Count));
        foreach (var outcome in outcomes) latencies.AddRange(outcome.Latencies);
        return LoadResult.FromLatencies(latencies, outcomes.Sum(o => o.Errors), seconds);
    }

    private static async Task<(List<long> Latencies, long Errors)> WorkAsync(long deadline, Send send, CancellationToken cancellationToken)
    {
        var latencies = new List<long>(4096);
        long errors = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var begin = Stopwatch.GetTimestamp();
            bool ok;
            try
            {
                ok = await send(cancellationToken);
            }
            catch (HttpRequestException)
            {
                ok = false;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                ok = false; // HttpClient timeout
            }
            latencies.Add(Stopwatch.GetTimestamp() - begin);
            if (!ok) errors++;
        }
        return (latencies, errors);
    }
}
