namespace OnSeoulSafe.Bench;

/// <summary>What one measured run saw: completed requests, errors and the latency distribution.</summary>
public sealed record LoadResult(long Requests, long Errors, double Seconds, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    public long Successes => Requests - Errors;

    /// <summary>The server process's own CPU seconds (user + system) over the window; null when not measured.</summary>
    public double? ServerCpuSeconds { get; init; }

    /// <summary>Bytes the server's runtime allocated over the window; null when not measured.</summary>
    public double? ServerAllocatedBytes { get; init; }

    /// <summary>Milliseconds the server's JIT spent compiling over the window; null when not measured.</summary>
    public double? ServerJitMs { get; init; }

    /// <summary>Where the machine's time went over the window; null when not measured.</summary>
    public MachineTime? Machine { get; init; }

    /// <summary>The server's CPU milliseconds per successful request.</summary>
    public double? CpuMsPerRequest => ServerCpuSeconds is { } cpu && Successes > 0 ? cpu * 1000 / Successes : null;

    /// <summary>The server's allocated kilobytes per successful request.</summary>
    public double? AllocatedKbPerRequest => ServerAllocatedBytes is { } bytes && Successes > 0 ? bytes / 1024 / Successes : null;

    public double RequestsPerSecond => Seconds > 0 ? Requests / Seconds : 0;

    /// <summary>Percentiles over latencies in stopwatch ticks (nearest rank).</summary>
    public static LoadResult FromLatencies(List<long> ticks, long errors, double seconds)
    {
        ticks.Sort();
        double At(double p)
        {
            if (ticks.Count == 0) return 0;
            var index = Math.Clamp((int)Math.Ceiling(p * ticks.Count) - 1, 0, ticks.Count - 1);
            return ticks[index] * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
        }
        return new LoadResult(ticks.Count, errors, seconds, At(0.50), At(0.95), At(0.99), At(1.0));
    }
}
