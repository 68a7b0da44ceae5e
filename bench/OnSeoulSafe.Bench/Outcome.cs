namespace OnSeoulSafe.Bench;

/// <summary>One row of the table: what a scenario measured and how it compares with its target.</summary>
public sealed record Outcome
{
    public string Name { get; init; } = "";
    public string Title { get; init; } = "";

    /// <summary>PASS, FAIL, SKIPPED, BASELINE, or BOUND for a database floor.</summary>
    public string Result { get; set; } = "";

    public string? Reason { get; set; }
    public string? Tool { get; init; }
    public int Connections { get; init; }
    public int WarmupSeconds { get; init; }
    public int Seconds { get; init; }
    public long? Requests { get; set; }
    public double? RequestsPerSecond { get; set; }
    public double? P50Ms { get; set; }
    public double? P95Ms { get; set; }
    public double? P99Ms { get; set; }
    public double? MaxMs { get; set; }
    public long? Errors { get; set; }
    /// <summary>The serving process's own CPU milliseconds and allocated kilobytes per successful request.</summary>
    public double? CpuMsPerRequest { get; set; }
    public double? AllocatedKbPerRequest { get; set; }
    /// <summary>
    /// Milliseconds its JIT spent compiling per successful request: code not yet compiled, or still being optimised,
    /// while the load runs. The runtime times each compilation by the clock, so on a busy machine this includes waits.
    /// </summary>
    public double? JitMsPerRequest { get; set; }
    /// <summary>The machine's core time per successful request: this server, PostgreSQL, the load generator, the rest, idle, stolen.</summary>
    public MachineShare? Share { get; set; }
    public string? Baseline { get; set; }
    public string? Compare { get; set; }
    public double? Ratio { get; set; }
    public List<string> Targets { get; } = [];
    public List<string> Failures { get; } = [];
    public Dictionary<string, long> Checks { get; } = [];

    public void Measured(LoadResult result)
    {
        Requests = result.Requests;
        RequestsPerSecond = Math.Round(result.RequestsPerSecond, 1);
        P50Ms = Math.Round(result.P50Ms, 2);
        P95Ms = Math.Round(result.P95Ms, 2);
        P99Ms = Math.Round(result.P99Ms, 2);
        MaxMs = Math.Round(result.MaxMs, 2);
        Errors = result.Errors;
        CpuMsPerRequest = result.CpuMsPerRequest is { } cpu ? Math.Round(cpu, 3) : null;
        AllocatedKbPerRequest = result.AllocatedKbPerRequest is { } kb ? Math.Round(kb, 1) : null;
        Share = MachineShare.Of(result);
        JitMsPerRequest = result.ServerJitMs is { } jit && result.Successes > 0 ? Math.Round(jit / result.Successes, 3) : null;
    }

    /// <summary>Records a target and whether it was met.</summary>
    public void Target(string description, bool met)
    {
        Targets.Add($"{description}: {(met ? "met" : "MISSED")}");
        if (!met) Failures.Add(description);
    }
}
