using System.Text.Json;
using System.Text.Json.Serialization;

namespace OnSeoulSafe.Bench;

/// <summary>
/// One load scenario as written in bench/scenarios.json: what to request, how hard and for how long, and the
/// target it is held to. Pages that are not merged yet answer 404 to <see cref="Probe"/> and are reported as skipped.
/// </summary>
public sealed record Scenario
{
    public string Name { get; init; } = "";
    public string Title { get; init; } = "";

    /// <summary>A name BENCH_ONLY may give to run several rows (e.g. <c>hashing</c>).</summary>
    public string? Group { get; init; }

    /// <summary><c>portal</c> or <c>baselines</c>.</summary>
    public string Server { get; init; } = "portal";

    /// <summary><c>get</c>, <c>post</c>, <c>intake-submit</c>, <c>case-view</c>, or a database floor: <c>intake-floor</c>, <c>case-view-floor</c>.</summary>
    public string Flow { get; init; } = "get";

    public string Path { get; init; } = "/";

    /// <summary>Requested once, unauthenticated, before anything else: a 404 means the page is not there yet.</summary>
    public string? Probe { get; init; }

    /// <summary>
    /// <c>wrk</c> (plain GETs), <c>client</c> (the C# load generator: flows and exact accounting), or <c>hashing</c>
    /// (perceptual hashing measured in process, <see cref="HashingBench"/>), or <c>monitoring</c> (the monitoring worker
    /// against simulated boards, <see cref="MonitoringBench"/>).
    /// </summary>
    public string Tool { get; init; } = "client";

    public int? Connections { get; init; }
    public int? WarmupSeconds { get; init; }
    public int? Seconds { get; init; }

    /// <summary>Staff account (a demo account's e-mail) the scenario signs in as.</summary>
    public string? Account { get; init; }

    /// <summary>Case-view: events on the seeded case file's timeline.</summary>
    public int TimelineEvents { get; init; }

    /// <summary>Case-view floor: the timeline events the case file shows (the newest).</summary>
    public int EventsShown { get; init; } = 50;

    /// <summary>
    /// A database floor: the scenario whose database work this measures alone. Its ratio is the most that scenario's
    /// ratio can reach on this machine; it is reported as BOUND, not held to a target.
    /// </summary>
    public string? Bounds { get; init; }

    /// <summary>
    /// A database floor's path: <c>database</c> (the batch sent straight to PostgreSQL) or <c>http</c> (sent by the
    /// baselines' bare Kestrel, per request, answering with a page the size of the bounded scenario's).
    /// </summary>
    public string Via { get; init; } = "database";

    /// <summary>Cases the database must hold before the scenario runs (topped up by <see cref="Prepare"/>).</summary>
    public int? Cases { get; init; }

    /// <summary>Shell command run from the repository root to top up the data; <c>{add}</c> and <c>{cases}</c> are filled in.</summary>
    public string? Prepare { get; init; }

    /// <summary>The scenario this one is compared with.</summary>
    public string? Baseline { get; init; }

    /// <summary><c>throughput</c> (requests/s over the baseline's) or <c>p95</c> (p95 over the baseline's p95).</summary>
    public string Compare { get; init; } = "throughput";

    /// <summary>Hashing: hashes in the matching index's haystack.</summary>
    public long? Hashes { get; init; }

    /// <summary>Hashing: the index's memory target, in bytes a hash.</summary>
    public double MaxBytesPerHash { get; init; } = 128;

    /// <summary>Monitoring: simulated boards (each its own host) and posts on each.</summary>
    public int? Boards { get; init; }
    public int? Posts { get; init; }

    /// <summary>Monitoring: the target, in pages, files or link checks a second.</summary>
    public double? MinPerSecond { get; init; }

    public double? MinRatio { get; init; }
    public double? MaxRatio { get; init; }
    public double? MaxP95Ms { get; init; }

    /// <summary>The serving process's own CPU milliseconds per successful request, at most.</summary>
    public double? MaxCpuMsPerRequest { get; init; }

    /// <summary>The most this row's p95 may be, as a multiple of its baseline's p95 in the same run.</summary>
    public double? MaxP95Ratio { get; init; }
}

public sealed record ScenarioFile
{
    public int WarmupSeconds { get; init; } = 5;
    public int Seconds { get; init; } = 15;
    public int Connections { get; init; } = 16;
    public double MaxWorkingSetMb { get; init; } = 400;
    public List<Scenario> Scenarios { get; init; } = [];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static ScenarioFile Load(string path) =>
        JsonSerializer.Deserialize<ScenarioFile>(File.ReadAllText(path), Json)
        ?? throw new InvalidOperationException($"{path} is empty.");
}
