using System.Globalization;

namespace OnSeoulSafe.Bench;

/// <summary>Where things run (from build.sh's arguments) and the knobs for a shorter run (from the environment).</summary>
public sealed record BenchOptions
{
    public required Uri Portal { get; init; }
    public required Uri Baselines { get; init; }
    public required int PortalPid { get; init; }

    /// <summary>The baselines server's process, whose own CPU is measured like the portal's (0 when not given).</summary>
    public int BaselinesPid { get; init; }
    /// <summary>The benchmark cluster's postmaster, whose CPU (with its backends') is reported per request (0 when not given).</summary>
    public int DatabasePid { get; init; }
    public required string Root { get; init; }
    public required string ScenarioFile { get; init; }
    public required string WrkScript { get; init; }
    public required string ResultsDirectory { get; init; }

    /// <summary>BENCH_DASHBOARD_CASES: dashboard scenarios needing more cases than this are skipped.</summary>
    public long? DashboardCases { get; init; }

    /// <summary>Only in-process rows (perceptual hashing): no portal, baselines or PostgreSQL were started.</summary>
    public bool HashingOnly { get; init; }

    /// <summary>BENCH_ONLY: comma-separated scenario names or groups to run; the baselines the chosen ones compare with run too.</summary>
    public IReadOnlySet<string>? Only { get; init; }

    /// <summary>BENCH_SECONDS / BENCH_WARMUP_SECONDS: override every scenario's measured and warm-up time.</summary>
    public int? Seconds { get; init; }
    public int? WarmupSeconds { get; init; }

    /// <summary>The soak under faults (<see cref="Soak"/>): its run length (SOAK_SECONDS, default 300), the second portal's port and directory, and the command that restarts PostgreSQL.</summary>
    public bool Soak { get; init; }
    public int? SoakSeconds { get; init; }
    public int Portal2Port { get; init; }
    public string? PortalDirectory { get; init; }
    public string? PgRestart { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }
        string Required(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");
        var root = Required("root");
        var hashingOnly = values.GetValueOrDefault("hashing-only") == "true";
        string Server(string name) => hashingOnly ? values.GetValueOrDefault(name, "http://127.0.0.1:9") : Required(name);
        return new BenchOptions
        {
            HashingOnly = hashingOnly,
            Soak = values.GetValueOrDefault("soak") == "true",
            SoakSeconds = (int?)Number("SOAK_SECONDS"),
            Portal2Port = values.TryGetValue("portal2-port", out var port2) ? int.Parse(port2, CultureInfo.InvariantCulture) : 0,
            PortalDirectory = values.GetValueOrDefault("portal-dir"),
            PgRestart = values.GetValueOrDefault("pg-restart"),
            Portal = new Uri(Server("portal")),
            Baselines = new Uri(Server("baselines")),
            PortalPid = hashingOnly ? 0 : int.Parse(Required("portal-pid"), CultureInfo.InvariantCulture),
            BaselinesPid = values.TryGetValue("baselines-pid", out var baselinesPid) ? int.Parse(baselinesPid, CultureInfo.InvariantCulture) : 0,
            DatabasePid = values.TryGetValue("pg-pid", out var pgPid) ? int.Parse(pgPid, CultureInfo.InvariantCulture) : 0,
            Root = root,
            ScenarioFile = Path.Combine(root, "bench", "scenarios.json"),
            WrkScript = Path.Combine(root, "bench", "wrk", "summary.lua"),
            ResultsDirectory = Path.Combine(root, "bench", "results"),
            DashboardCases = Number("BENCH_DASHBOARD_CASES"),
            Seconds = (int?)Number("BENCH_SECONDS"),
            WarmupSeconds = (int?)Number("BENCH_WARMUP_SECONDS"),
            Only = Environment.GetEnvironmentVariable("BENCH_ONLY") is { Length: > 0 } only
                ? only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet()
                : null,
        };
    }

    private static long? Number(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? long.Parse(value.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)
            : null;
}
