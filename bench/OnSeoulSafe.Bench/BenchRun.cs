using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace OnSeoulSafe.Bench;

/// <summary>Runs the scenarios of bench/scenarios.json in order against the portal and the baselines.</summary>
public sealed class BenchRun(BenchOptions options, ScenarioFile file, BenchData? data)
{
    /// <summary>The intake's form as a victim fills it: a 2,000-character narrative, three links, contact and two consents.</summary>
    public const int IntakeLinks = 3;
    public const int IntakeConsents = 2;

    public const string NotSelected = "not selected by BENCH_ONLY";

    private readonly Dictionary<string, Outcome> _outcomes = [];
    private readonly HashingBench _hashing = new(options);
    private MonitoringBench? _monitoring;

    /// <summary>The case file the case-view scenario opened, for the floor that reads it the same way.</summary>
    private (long Id, string Reference)? _caseFile;

    /// <summary>The size of the page each portal scenario answered with, for the floor behind Kestrel to answer alike.</summary>
    private readonly Dictionary<string, PageSize> _pages = [];

    public IReadOnlyCollection<Outcome> Outcomes => _outcomes.Values;

    /// <summary>The bench database; absent when only in-process rows run (BENCH_ONLY=hashing).</summary>
    private BenchData Data => data ?? throw new InvalidOperationException("This scenario needs the portal and its database, which a hashing-only run does not start.");

    /// <summary>The rows BENCH_ONLY names, by name or group, and the baselines they compare with; null runs every row.</summary>
    private readonly HashSet<string>? _selected = Selected(options, file);

    public static HashSet<string>? Selected(BenchOptions options, ScenarioFile file)
    {
        if (options.Only is not { Count: > 0 } only) return null;
        var chosen = file.Scenarios.Where(s => only.Contains(s.Name) || (s.Group is { } group && only.Contains(group))).Select(s => s.Name).ToHashSet();
        // A chosen row's baseline runs too (and that one's own), so its ratio compares figures of the same run.
        for (var added = true; added;)
        {
            added = false;
            foreach (var scenario in file.Scenarios.Where(s => chosen.Contains(s.Name) && s.Baseline is not null)) added |= chosen.Add(scenario.Baseline!);
        }
        return chosen;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // A scenario compared with a floor that copies its rows (so runs after it) is judged at the end.
        var judgeLater = new List<Scenario>();
        foreach (var scenario in file.Scenarios)
        {
            var outcome = new Outcome
            {
                Name = scenario.Name,
                Title = scenario.Title,
                Tool = scenario.Tool,
                Connections = scenario.Connections ?? file.Connections,
                WarmupSeconds = options.WarmupSeconds ?? scenario.WarmupSeconds ?? file.WarmupSeconds,
                Seconds = options.Seconds ?? scenario.Seconds ?? file.Seconds,
                Baseline = scenario.Baseline,
                Compare = scenario.Baseline is null ? null : scenario.Compare,
            };
            _outcomes[scenario.Name] = outcome;
            Console.WriteLine($"==> {scenario.Name}: {scenario.Title}");
            try
            {
                if (await SkipReasonAsync(scenario, cancellationToken) is { } skip)
                {
                    outcome.Result = "SKIPPED";
                    outcome.Reason = skip;
                }
                else
                {
                    await MeasureAsync(scenario, outcome, cancellationToken);
                    if (JudgedLater(scenario))
                    {
                        judgeLater.Add(scenario);
                        Console.WriteLine($"    measured ({outcome.RequestsPerSecond} req/s); judged once {scenario.Baseline} has run");
                        continue;
                    }
                    Judge(scenario, outcome);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or Npgsql.NpgsqlException)
            {
                outcome.Result = "FAIL";
                outcome.Reason = ex.Message;
            }
            Print(outcome);
        }
        foreach (var scenario in judgeLater)
        {
            Console.WriteLine($"==> {scenario.Name} against {scenario.Baseline}, measured since");
            Judge(scenario, _outcomes[scenario.Name]);
            Print(_outcomes[scenario.Name]);
        }
        _hashing.Release(keep: 0);
        _hashing.DeleteFiles();
    }

    private bool JudgedLater(Scenario scenario) =>
        scenario.Baseline is { } name && !_outcomes.ContainsKey(name) && file.Scenarios.Any(s => s.Name == name);

    private static void Print(Outcome outcome) =>
        Console.WriteLine($"    {outcome.Result}{(outcome.Reason is null ? "" : ": " + outcome.Reason)}" +
            (outcome.RequestsPerSecond is null ? "" : $" ({outcome.RequestsPerSecond} req/s, p95 {outcome.P95Ms} ms, {outcome.Errors} errors") +
            (outcome.CpuMsPerRequest is null ? "" : $", {outcome.CpuMsPerRequest} ms CPU and {outcome.AllocatedKbPerRequest?.ToString() ?? "?"} KB allocated a request" +
                (outcome.JitMsPerRequest is null ? "" : $", {outcome.JitMsPerRequest} ms compiling")) +
            (outcome.RequestsPerSecond is null ? "" : ")"));

    /// <summary>The process serving a scenario, whose own CPU and allocations are measured; none for a floor sent straight to PostgreSQL.</summary>
    private int? ServerPid(Scenario scenario) =>
        scenario.Tool == "hashing" || (scenario.Flow is "intake-floor" or "case-view-floor" && scenario.Via != "http") ? null
        : scenario.Server == "baselines" || scenario.Via == "http" ? options.BaselinesPid
        : options.PortalPid;

    private async Task<string?> SkipReasonAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        if (_selected is not null && !_selected.Contains(scenario.Name))
        {
            return NotSelected;
        }
        if (scenario.Cases is { } cases && options.DashboardCases is { } limit && cases > limit)
        {
            return $"limited to {limit:N0} cases by BENCH_DASHBOARD_CASES";
        }
        if (scenario.Probe is { } probe)
        {
            using var http = NewClient(1);
            http.BaseAddress = ServerFor(scenario);
            using var response = await http.GetAsync(probe.Replace("{reference}", "SDS-2000-000000", StringComparison.Ordinal), cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return $"not available yet: GET {probe} answered 404 (the page is not merged)";
            }
        }
        if (scenario.Cases is { } wanted)
        {
            var have = await Data.CountCasesAsync(cancellationToken);
            if (have < wanted)
            {
                if (scenario.Prepare is null) return $"the database holds {have:N0} cases and nothing is configured to add more";
                var reason = await PrepareAsync(scenario.Prepare, wanted, wanted - have, cancellationToken);
                if (reason is not null) return reason;
            }
        }
        return null;
    }

    /// <summary>Runs the scenario's data generator; a generator that says it is not implemented yet skips the scenario.</summary>
    private async Task<string?> PrepareAsync(string command, long cases, long add, CancellationToken cancellationToken)
    {
        var line = command.Replace("{cases}", cases.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{add}", add.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Console.WriteLine($"    preparing: {line}");
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = options.Root, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(line);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{line} could not be started.");
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode == 0) return null;
        if (error.Contains("not implemented", StringComparison.OrdinalIgnoreCase))
        {
            return $"data generator not available yet: '{line}' says not implemented";
        }
        throw new InvalidOperationException($"'{line}' failed with exit code {process.ExitCode}: {error.Trim()}");
    }

    private async Task MeasureAsync(Scenario scenario, Outcome outcome, CancellationToken cancellationToken)
    {
        var warmup = TimeSpan.FromSeconds(outcome.WarmupSeconds);
        var measured = TimeSpan.FromSeconds(outcome.Seconds);
        if (scenario.Tool == "hashing")
        {
            outcome.Measured(await _hashing.MeasureAsync(scenario, outcome, warmup, measured, cancellationToken));
            return;
        }
        if (scenario.Tool == "monitoring")
        {
            _monitoring ??= new MonitoringBench(options, Data);
            outcome.Measured(await _monitoring.MeasureAsync(scenario, outcome, cancellationToken));
            // A throughput over the whole run: no latency per request to show.
            outcome.P50Ms = outcome.P95Ms = outcome.P99Ms = outcome.MaxMs = null;
            return;
        }
        if (scenario.Flow is "intake-floor" or "case-view-floor")
        {
            await MeasureFloorAsync(scenario, outcome, warmup, measured, cancellationToken);
            return;
        }

        using var http = NewClient(outcome.Connections);
        http.BaseAddress = ServerFor(scenario);
        var session = new PortalSession(http);
        if (scenario.Account is not null)
        {
            await session.SignInAsync(scenario.Account, await Data.AuthenticatorKeyAsync(scenario.Account), cancellationToken);
        }

        var path = scenario.Path;
        long caseId = 0;
        if (scenario.Flow == "case-view")
        {
            _caseFile = await Data.SeedCaseFileAsync(scenario.Account ?? throw new InvalidOperationException("case-view needs an account."), scenario.TimelineEvents, cancellationToken);
            caseId = _caseFile.Value.Id;
            path = path.Replace("{reference}", _caseFile.Value.Reference, StringComparison.Ordinal);
            outcome.Checks["timelineEvents"] = scenario.TimelineEvents;
        }

        if (scenario.Tool == "wrk")
        {
            using (var check = await session.SendAsync(HttpMethod.Get, path, null, cancellationToken))
            {
                if (check.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {path} answered {(int)check.StatusCode} before the run.");
            }
            var url = new Uri(http.BaseAddress!, path);
            var cookie = scenario.Account is null ? null : session.CookieHeader;
            await Wrk.RunAsync(options.WrkScript, url, outcome.Connections, warmup, cookie, cancellationToken);
            outcome.Measured(await ProcessCost.MeasureAsync(ServerPid(scenario), options.DatabasePid, () => Wrk.RunAsync(options.WrkScript, url, outcome.Connections, measured, cookie, cancellationToken)));
            return;
        }

        var page = _pages[scenario.Name] = new PageSize();
        LoadClient.Send send = scenario.Flow switch
        {
            "get" or "case-view" => Get(http, path, session, page),
            "post" => Post(http, path),
            "intake-submit" => await IntakeAsync(http, path, session, page, cancellationToken),
            _ => throw new InvalidOperationException($"Unknown flow '{scenario.Flow}'."),
        };

        await LoadClient.RunAsync(outcome.Connections, warmup, send, cancellationToken);
        var casesBefore = await Data.MaxCaseIdAsync(cancellationToken);
        var accessLogBefore = caseId == 0 ? 0 : await Data.CountAccessLogAsync(caseId, cancellationToken);
        var result = await ProcessCost.MeasureAsync(ServerPid(scenario), options.DatabasePid, () => LoadClient.RunAsync(outcome.Connections, measured, send, cancellationToken));
        outcome.Measured(result);

        if (scenario.Flow == "intake-submit")
        {
            var created = await Data.CountCasesAfterAsync(casesBefore, cancellationToken);
            outcome.Checks["successfulSubmits"] = result.Successes;
            outcome.Checks["casesCreated"] = created;
            outcome.Checks["halfWritten"] = await Data.CountHalfWrittenAfterAsync(casesBefore, IntakeConsents, IntakeLinks, cancellationToken);
            outcome.Target($"cases created ({created}) = successful submits ({result.Successes})", created == result.Successes);
            outcome.Target($"half-written cases: {outcome.Checks["halfWritten"]}", outcome.Checks["halfWritten"] == 0);
        }
        if (scenario.Flow == "case-view")
        {
            var rows = await Data.CountAccessLogAsync(caseId, cancellationToken) - accessLogBefore;
            outcome.Checks["successfulViews"] = result.Successes;
            outcome.Checks["accessLogRows"] = rows;
            outcome.Target($"access-log rows ({rows}) = successful views ({result.Successes})", rows == result.Successes);
        }
    }

    /// <summary>
    /// The database alone doing a scenario's database work (<see cref="DatabaseFloor"/>), sent straight to PostgreSQL
    /// or through the baselines' bare Kestrel, with the same closed-loop generator and connections; afterwards the
    /// rows are counted against the successful requests, as for the portal.
    /// </summary>
    private async Task MeasureFloorAsync(Scenario scenario, Outcome outcome, TimeSpan warmup, TimeSpan measured, CancellationToken cancellationToken)
    {
        using var baselines = scenario.Via == "http" ? NewClient(outcome.Connections) : null;
        // The page answered from behind Kestrel is as long as the portal's (0 when the bounded scenario did not run).
        var pageBytes = (int)(scenario.Bounds is { } bounded && _pages.TryGetValue(bounded, out var page) ? page.Bytes : 0);
        if (baselines is not null)
        {
            baselines.BaseAddress = options.Baselines;
            outcome.Checks["pageBytes"] = pageBytes;
        }
        Task<LoadClient.Send> SendAsync(DatabaseFloor floor, IReadOnlyList<string> statements) =>
            baselines is null ? Task.FromResult(floor.Direct(statements)) : DatabaseFloor.OverHttpAsync(baselines, statements, pageBytes, cancellationToken);

        if (scenario.Flow == "intake-floor")
        {
            var template = await Data.NewestIntakeCaseAsync(cancellationToken);
            if (template == 0) throw new InvalidOperationException("no report to copy: run intake-submit first");
            await using var floor = await DatabaseFloor.ForIntakeAsync(Data.OwnerConnectionString, cancellationToken);
            var send = await SendAsync(floor, await floor.IntakeAsync(template, cancellationToken));
            var warm = await LoadClient.RunAsync(outcome.Connections, warmup, send, cancellationToken);
            var result = await ProcessCost.MeasureAsync(ServerPid(scenario), options.DatabasePid, () => LoadClient.RunAsync(outcome.Connections, measured, send, cancellationToken));
            outcome.Measured(result);
            var written = await floor.IntakesWrittenAsync(template, cancellationToken) - warm.Successes;
            outcome.Checks["successfulWrites"] = result.Successes;
            outcome.Checks["casesWritten"] = written;
            outcome.Target($"cases written ({written}) = successful writes ({result.Successes})", written == result.Successes);
        }
        else
        {
            var account = scenario.Account ?? throw new InvalidOperationException("case-view-floor needs an account.");
            _caseFile ??= await Data.SeedCaseFileAsync(account, scenario.TimelineEvents, cancellationToken);
            await using var floor = await DatabaseFloor.ForCaseViewAsync(Data.OwnerConnectionString, cancellationToken);
            var send = await SendAsync(floor, DatabaseFloor.CaseView(_caseFile.Value.Id, await Data.StaffIdAsync(account, cancellationToken), scenario.EventsShown));
            var warm = await LoadClient.RunAsync(outcome.Connections, warmup, send, cancellationToken);
            var result = await ProcessCost.MeasureAsync(ServerPid(scenario), options.DatabasePid, () => LoadClient.RunAsync(outcome.Connections, measured, send, cancellationToken));
            outcome.Measured(result);
            var rows = await floor.AccessLogRowsAsync(cancellationToken) - warm.Successes;
            outcome.Checks["successfulReads"] = result.Successes;
            outcome.Checks["accessLogRows"] = rows;
            outcome.Target($"access-log rows ({rows}) = successful reads ({result.Successes})", rows == result.Successes);
        }
    }

    private static LoadClient.Send Get(HttpClient http, string path, PortalSession session, PageSize page)
    {
        var cookie = session.CookieHeader;
        return async cancellationToken =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (cookie.Length > 0) request.Headers.Add("Cookie", cookie);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            long bytes = 0;
            for (int read; (read = await body.ReadAsync(buffer, cancellationToken)) > 0;) bytes += read;
            ArrayPool<byte>.Shared.Return(buffer);
            page.Bytes = bytes;
            return response.StatusCode == HttpStatusCode.OK;
        };
    }

    private static LoadClient.Send Post(HttpClient http, string path) =>
        async cancellationToken =>
        {
            using var response = await http.PostAsync(path, null, cancellationToken);
            await response.Content.CopyToAsync(Stream.Null, cancellationToken);
            return response.IsSuccessStatusCode;
        };

    /// <summary>The last step of the wizard, posted with every field as the browser does; a new intake key per report.</summary>
    private static async Task<LoadClient.Send> IntakeAsync(HttpClient http, string path, PortalSession session, PageSize page, CancellationToken cancellationToken)
    {
        await session.LoadFormAsync("/report", cancellationToken);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Step", "4"),
            new("__af", session.Token!),
            new("Input.CrimeTypes", "IllegalFilming"),
            new("Input.CrimeTypes", "DistributionWithoutConsent"),
            new("Input.Narrative", Text.Narrative(2000)),
            new("Input.HappenedOn", "2026-03-01"),
            new("Input.Links", "https://video.example.com/watch/abc123\nhttps://social.example.net/p/998877\nhttps://files.example.org/share/x1"),
            new("Input.SelfHarmThoughts", "false"),
            new("Input.OngoingThreats", "true"),
            new("Input.OffenderKnowsAddress", "false"),
            new("Input.UnderNineteen", "false"),
            new("Input.Channel", "Text"),
            new("Input.Phone", "010-1234-5678"),
            new("Input.SafeFrom", "18:00"),
            new("Input.SafeUntil", "21:00"),
            new("Input.SafeWord", "umbrella"),
            new("Input.Consents", "Investigation"),
            new("Input.Consents", "Deletion"),
            new("Input.Nickname", "Sky"),
        };
        var rest = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            rest.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        var tail = rest.ToString();
        var cookie = session.CookieHeader;
        return async token =>
        {
            using var content = new StringContent("Input.IntakeKey=" + Guid.NewGuid() + tail, Encoding.UTF8, "application/x-www-form-urlencoded");
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
            request.Headers.Add("Cookie", cookie);
            using var response = await http.SendAsync(request, token);
            var body = await response.Content.ReadAsByteArrayAsync(token);
            page.Bytes = body.Length;
            return response.StatusCode == HttpStatusCode.OK && body.AsSpan().IndexOf("id=\"case-reference\""u8) >= 0;
        };
    }

    private void Judge(Scenario scenario, Outcome outcome)
    {
        var isBaseline = scenario.Server == "baselines";
        if (!isBaseline && outcome.Errors > 0)
        {
            outcome.Target($"no errors ({outcome.Errors})", false);
        }
        if (scenario.Baseline is { } name)
        {
            var baseline = _outcomes.GetValueOrDefault(name);
            if (baseline?.RequestsPerSecond is null)
            {
                outcome.Target($"baseline {name} was not measured", false);
            }
            else if (scenario.Compare == "p95")
            {
                outcome.Ratio = baseline.P95Ms > 0 ? Math.Round(outcome.P95Ms!.Value / baseline.P95Ms.Value, 3) : null;
            }
            else
            {
                outcome.Ratio = baseline.RequestsPerSecond > 0 ? Math.Round(outcome.RequestsPerSecond!.Value / baseline.RequestsPerSecond.Value, 3) : null;
            }
            var what = scenario.Compare == "p95" ? $"p95 / {name} p95" : $"req/s / {name} req/s";
            if (scenario.MinRatio is { } min) outcome.Target($"{what} ≥ {min}", outcome.Ratio >= min);
            if (scenario.MaxRatio is { } max) outcome.Target($"{what} ≤ {max}", outcome.Ratio <= max);
            if (scenario.MaxP95Ratio is { } p95Ratio && baseline?.P95Ms is { } baseP95)
            {
                outcome.Target($"p95 ≤ {p95Ratio} × {name} p95 ({p95Ratio * baseP95:0.#} ms)", outcome.P95Ms <= p95Ratio * baseP95);
            }
        }
        if (scenario.MaxP95Ms is { } p95) outcome.Target($"p95 < {p95} ms", outcome.P95Ms < p95);
        if (scenario.MaxCpuMsPerRequest is { } cpu) outcome.Target($"CPU/request ({outcome.CpuMsPerRequest?.ToString("0.00", CultureInfo.InvariantCulture) ?? "not measured"} ms) ≤ {cpu} ms", outcome.CpuMsPerRequest <= cpu);
        outcome.Result = isBaseline ? "BASELINE" : scenario.Bounds is not null ? (outcome.Failures.Count == 0 ? "BOUND" : "FAIL") : outcome.Failures.Count == 0 ? "PASS" : "FAIL";
        if (outcome.Failures.Count > 0) outcome.Reason = string.Join("; ", outcome.Failures);
        else if (scenario.Bounds is { } bounded && outcome.Ratio is { } most)
        {
            // The bounded row's target speaks of this ratio only when both are measured against the same baseline.
            var boundedRow = file.Scenarios.FirstOrDefault(s => s.Name == bounded);
            var target = boundedRow is not null && boundedRow.Baseline == scenario.Baseline ? boundedRow.MinRatio : null;
            var alone = scenario.Via == "http" ? "bare Kestrel sending the database's work" : "the database alone";
            outcome.Reason = $"{alone} reaches {most:0.00} of {scenario.Baseline}, the most {bounded} can reach on this machine" +
                (target > most ? $"; its target ({target}) is above that" : "");
        }
    }

    private static HttpClient NewClient(int connections) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseCookies = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Written by every request of a scenario; the last one's size is the one kept.</summary>
    private sealed class PageSize
    {
        public long Bytes;
    }

    private Uri ServerFor(Scenario scenario) => scenario.Server == "baselines" ? options.Baselines : options.Portal;
}
