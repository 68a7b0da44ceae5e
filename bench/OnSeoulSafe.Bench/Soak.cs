using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace OnSeoulSafe.Bench;

/// <summary>
/// The soak under faults (<c>BENCH_ONLY=soak</c>): a mixed load (reports; victims checking their case, reading it and
/// writing a message; a companion opening a case file) against two portal instances on one PostgreSQL, while
/// PostgreSQL is restarted twice and the second instance is killed and started again. Errors while a fault lasts are
/// expected and counted; what is judged is afterwards: every answer the client saw as a success is in the database,
/// no case is half-written, the access log's seal chain verifies, and the first instance's memory stays flat.
/// </summary>
public sealed partial class Soak(BenchOptions options, BenchData data)
{
    private const string Companion = "companion@onseoulsafe.example";
    private const int Workers = 8;

    private readonly ConcurrentBag<(string Reference, string Code)> _reports = [];
    private readonly ConcurrentDictionary<string, Action> _actions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _faults = new();

    public async Task<List<Outcome>> RunAsync(CancellationToken cancellationToken)
    {
        var seconds = options.SoakSeconds ?? 300;
        var duration = TimeSpan.FromSeconds(seconds);
        var secondUrl = new Uri($"http://127.0.0.1:{options.Portal2Port}");
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = Workers * 2 })
        {
            Timeout = TimeSpan.FromSeconds(20),
        };
        var second = StartSecondPortal();
        try
        {
            await WaitHealthyAsync(http, secondUrl, cancellationToken);
            Console.WriteLine($"==> Soak: two portals ({options.Portal}, {secondUrl}), {seconds} s, {Workers} workers");
            var caseFile = await data.SeedCaseFileAsync(Companion, 50, cancellationToken);
            var staff = new PortalSession(new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = options.Portal });
            await staff.SignInAsync(Companion, await data.AuthenticatorKeyAsync(Companion), cancellationToken);
            var casesBefore = await data.MaxCaseIdAsync(cancellationToken);
            var caseViewRowsBefore = await data.CountAccessLogAsync(caseFile.Id, cancellationToken);
            var portals = new[] { options.Portal, secondUrl };

            var memory = new List<(double At, long RssKb)>();
            var started = Stopwatch.GetTimestamp();
            var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sampling = SampleMemoryAsync(memory, started, stop.Token);
            var faults = FaultsAsync(duration, () => second, s => second = s, http, secondUrl, cancellationToken);
            var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkAsync(w, deadline, portals, http, staff.CookieHeader, caseFile.Reference, cancellationToken), cancellationToken)).ToArray();
            await Task.WhenAll(workers);
            await faults;
            await stop.CancelAsync();
            await sampling;

            data.ForgetConnections();
            // Sealing runs every few seconds in both portals; entries younger than the settle time wait for the next pass.
            var chain = await data.WaitForSealedChainAsync(TimeSpan.FromSeconds(90), cancellationToken);
            return await JudgeAsync(seconds, casesBefore, caseFile.Id, caseViewRowsBefore, chain, memory, cancellationToken);
        }
        finally
        {
            Stop(second);
        }
    }

    private async Task WorkAsync(int worker, long deadline, Uri[] portals, HttpClient http, string staffCookie, string caseFileReference, CancellationToken cancellationToken)
    {
        for (var i = 0; Stopwatch.GetTimestamp() < deadline; i++)
        {
            var portal = portals[(worker + i) % 2];
            switch ((worker + i) % 4)
            {
                case 0 or 1:
                    await TimedAsync("soak-report", () => ReportAsync(http, portal, cancellationToken));
                    break;
                case 2:
                    await TimedAsync("soak-case-view", () => CaseViewAsync(http, portal, staffCookie, caseFileReference, cancellationToken));
                    break;
                default:
                    if (_reports.TryPeek(out _)) await VictimAsync(http, portal, cancellationToken);
                    break;
            }
        }
    }

    private async Task TimedAsync(string action, Func<Task<bool>> send)
    {
        var begin = Stopwatch.GetTimestamp();
        bool ok;
        try
        {
            ok = await send();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            ok = false;
        }
        _actions.GetOrAdd(action, _ => new Action()).Add(Stopwatch.GetTimestamp() - begin, ok);
    }

    private async Task<bool> ReportAsync(HttpClient http, Uri portal, CancellationToken cancellationToken)
    {
        var session = new PortalSession(http);
        await session.LoadFormAsync(new Uri(portal, "/report").ToString(), cancellationToken);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Step", "4"), new("__af", session.Token!), new("Input.IntakeKey", Guid.NewGuid().ToString()),
            new("Input.CrimeTypes", "IllegalFilming"), new("Input.CrimeTypes", "DistributionWithoutConsent"),
            new("Input.Narrative", Text.Narrative(2000)), new("Input.HappenedOn", "2026-03-01"),
            new("Input.Links", "https://video.example.com/watch/abc123\nhttps://social.example.net/p/998877\nhttps://files.example.org/share/x1"),
            new("Input.SelfHarmThoughts", "false"), new("Input.OngoingThreats", "true"), new("Input.OffenderKnowsAddress", "false"),
            new("Input.UnderNineteen", "false"), new("Input.Channel", "Text"), new("Input.Phone", "010-1234-5678"),
            new("Input.SafeFrom", "18:00"), new("Input.SafeUntil", "21:00"), new("Input.SafeWord", "umbrella"),
            new("Input.Consents", "Investigation"), new("Input.Consents", "Deletion"), new("Input.Nickname", "Sky"),
        };
        using var form = new FormUrlEncodedContent(fields);
        using var response = await session.SendAsync(HttpMethod.Post, new Uri(portal, "/report?handler=Submit").ToString(), form, cancellationToken);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK) return false;
        var reference = ReferencePattern().Match(html);
        var code = CodePattern().Match(html);
        if (!reference.Success || !code.Success) return false;
        _reports.Add((reference.Groups[1].Value.Trim(), WebUtility.HtmlDecode(code.Groups[1].Value).Trim()));
        return true;
    }

    private static async Task<bool> CaseViewAsync(HttpClient http, Uri portal, string staffCookie, string reference, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(portal, "/cases/" + reference));
        request.Headers.Add("Cookie", staffCookie);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK && body.Length > 0;
    }

    /// <summary>A victim checks her case (sign in with reference and code, read the case), then writes a message.</summary>
    private async Task VictimAsync(HttpClient http, Uri portal, CancellationToken cancellationToken)
    {
        var known = _reports.ToArray();
        var (reference, code) = known[Random.Shared.Next(known.Length)];
        var session = new PortalSession(http);
        var signedIn = false;
        await TimedAsync("soak-status", async () =>
        {
            await session.LoadFormAsync(new Uri(portal, "/status").ToString(), cancellationToken);
            using var form = new FormUrlEncodedContent([new("__af", session.Token!), new("Input.Reference", reference), new("Input.Code", code)]);
            using (var posted = await session.SendAsync(HttpMethod.Post, new Uri(portal, "/status").ToString(), form, cancellationToken))
            {
                if (posted.StatusCode != HttpStatusCode.Redirect) return false;
            }
            using var view = await session.SendAsync(HttpMethod.Get, new Uri(portal, "/status/case").ToString(), null, cancellationToken);
            var html = await view.Content.ReadAsStringAsync(cancellationToken);
            signedIn = view.StatusCode == HttpStatusCode.OK && html.Contains(reference, StringComparison.Ordinal);
            if (signedIn) session.ReadToken(html);
            return signedIn;
        });
        if (!signedIn) return;
        await TimedAsync("soak-message", async () =>
        {
            using var form = new FormUrlEncodedContent([new("__af", session.Token!), new("NewMessage", "soak " + Guid.NewGuid().ToString("N"))]);
            using var posted = await session.SendAsync(HttpMethod.Post, new Uri(portal, "/status/case?handler=Message").ToString(), form, cancellationToken);
            if (posted.StatusCode == HttpStatusCode.Redirect) _messages.Add(reference);
            return posted.StatusCode == HttpStatusCode.Redirect;
        });
    }

    private readonly ConcurrentBag<string> _messages = [];

    /// <summary>PostgreSQL restarted at 20% and 70% of the run; the second portal killed at 40% and started at 50%.</summary>
    private async Task FaultsAsync(TimeSpan duration, Func<Process> current, Action<Process> replace, HttpClient http, Uri secondUrl, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        async Task At(double fraction)
        {
            var wait = duration * fraction - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
        }
        await At(0.2);
        await RestartPostgresAsync(cancellationToken);
        await At(0.4);
        Stop(current());
        _faults.Enqueue($"{clock.Elapsed.TotalSeconds:0} s: second portal killed");
        await At(0.5);
        replace(StartSecondPortal());
        await WaitHealthyAsync(http, secondUrl, cancellationToken);
        _faults.Enqueue($"{clock.Elapsed.TotalSeconds:0} s: second portal started and healthy");
        await At(0.7);
        await RestartPostgresAsync(cancellationToken);
        async Task RestartPostgresAsync(CancellationToken token)
        {
            using var restart = Process.Start(new ProcessStartInfo("bash", ["-c", options.PgRestart!]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            await restart.WaitForExitAsync(token);
            _faults.Enqueue($"{clock.Elapsed.TotalSeconds:0} s: PostgreSQL restarted (exit {restart.ExitCode})");
        }
    }

    private Process StartSecondPortal()
    {
        var start = new ProcessStartInfo("dotnet", ["OnSeoulSafe.Web.dll", "--urls", $"http://127.0.0.1:{options.Portal2Port}"])
        {
            WorkingDirectory = options.PortalDirectory!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // As the first portal: never the owner's password, the same young-generation size.
        start.Environment.Remove("ConnectionStrings__PortalOwner");
        start.Environment["DOTNET_GCgen0size"] = "0x2000000";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static async Task WaitHealthyAsync(HttpClient http, Uri portal, CancellationToken cancellationToken)
    {
        var until = Stopwatch.GetTimestamp() + 120 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < until)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(portal, "/health"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250, cancellationToken);
        }
        throw new InvalidOperationException($"{portal} did not become healthy within 2 minutes.");
    }

    private async Task SampleMemoryAsync(List<(double At, long RssKb)> samples, long started, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var line = File.ReadLines($"/proc/{options.PortalPid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                if (line is null) continue;
                var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                lock (samples) samples.Add((Stopwatch.GetElapsedTime(started).TotalSeconds, kb));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<List<Outcome>> JudgeAsync(int seconds, long casesBefore, long caseFileId, long caseViewRowsBefore, BenchData.ChainCheck chain, List<(double At, long RssKb)> memory, CancellationToken cancellationToken)
    {
        var outcomes = new List<Outcome>();
        Outcome Row(string name, string title)
        {
            var outcome = new Outcome { Name = name, Title = title, Tool = "client", Connections = Workers, Seconds = seconds };
            if (_actions.TryGetValue(name, out var action))
            {
                outcome.Measured(action.Result(seconds));
                outcome.Checks["successes"] = action.Successes;
            }
            // A row with no success proves nothing about the database: it fails.
            outcome.Target($"successes: {outcome.Checks.GetValueOrDefault("successes")}", outcome.Checks.GetValueOrDefault("successes") > 0);
            outcomes.Add(outcome);
            return outcome;
        }

        var references = _reports.Select(r => r.Reference).Distinct(StringComparer.Ordinal).ToArray();
        var report = Row("soak-report", "soak: reports sent to two portals under faults");
        var found = await data.CountCasesWithReferencesAsync(references, cancellationToken);
        report.Checks["casesFound"] = found;
        var halfWritten = await data.CountHalfWrittenAfterAsync(casesBefore, 2, 3, cancellationToken);
        report.Checks["halfWritten"] = halfWritten;
        report.Target($"every successful report is a case ({found} of {references.Length})", found == references.Length && references.Length == report.Checks.GetValueOrDefault("successes"));
        report.Target($"half-written cases: {halfWritten}", halfWritten == 0);

        var status = Row("soak-status", "soak: victims sign in with reference and code and read their case");
        var victimRows = await data.CountAccessLogForReferencesAsync(references, cancellationToken);
        status.Checks["accessLogRows"] = victimRows;
        status.Target($"a case read logged for every successful check ({victimRows} rows ≥ {status.Checks.GetValueOrDefault("successes")})", victimRows >= status.Checks.GetValueOrDefault("successes"));

        var message = Row("soak-message", "soak: victims write a message on their case");
        var messages = await data.CountVictimMessagesForReferencesAsync(references, cancellationToken);
        message.Checks["messagesFound"] = messages;
        message.Target($"every successful message is stored ({messages} ≥ {_messages.Count})", messages >= _messages.Count && _messages.Count == message.Checks.GetValueOrDefault("successes"));

        var view = Row("soak-case-view", "soak: a companion opens a case file");
        var viewRows = await data.CountAccessLogAsync(caseFileId, cancellationToken) - caseViewRowsBefore;
        view.Checks["accessLogRows"] = viewRows;
        view.Target($"an access-log row for every successful view ({viewRows} ≥ {view.Checks.GetValueOrDefault("successes")})", viewRows >= view.Checks.GetValueOrDefault("successes"));

        var whole = new Outcome { Name = "soak-faults", Title = "soak: PostgreSQL restarted twice, one portal killed and started again", Tool = "client", Seconds = seconds };
        outcomes.Add(whole);
        whole.Checks["faults"] = _faults.Count;
        whole.Target($"faults applied ({string.Join("; ", _faults)})", _faults.Count == 4 && _faults.All(f => !f.Contains("exit 1", StringComparison.Ordinal)));
        whole.Checks["sealedEntries"] = chain.Sealed;
        whole.Target($"seal chain verifies through {chain.Sealed} entries ({chain.Problem ?? "unbroken, nothing left unsealed"})", chain.Problem is null);
        var warmupEnd = seconds * 0.25;
        long warm, peak;
        lock (memory)
        {
            warm = memory.Where(m => m.At <= warmupEnd).Select(m => m.RssKb).DefaultIfEmpty(0).Max();
            peak = memory.Where(m => m.At > warmupEnd).Select(m => m.RssKb).DefaultIfEmpty(0).Max();
        }
        whole.Checks["rssAfterWarmupMb"] = warm / 1024;
        whole.Checks["rssPeakLaterMb"] = peak / 1024;
        whole.Target($"memory flat: peak after warm-up {peak / 1024} MB ≤ 1.25 × {warm / 1024} MB", warm > 0 && peak <= warm * 1.25);
        foreach (var outcome in outcomes)
        {
            outcome.Result = outcome.Failures.Count == 0 ? "PASS" : "FAIL";
            outcome.Reason = string.Join("; ", outcome.Targets);
        }
        return outcomes;
    }

    [GeneratedRegex("id=\"case-reference\"[^>]*>([^<]+)<")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("id=\"access-code\"[^>]*>([^<]+)<")]
    private static partial Regex CodePattern();

    /// <summary>Latencies and outcomes of one kind of request.</summary>
    private sealed class Action
    {
        private readonly List<long> _ticks = [];
        private long _errors;

        public long Successes { get; private set; }

        public void Add(long ticks, bool ok)
        {
            lock (_ticks)
            {
                _ticks.Add(ticks);
                if (ok) Successes++;
                else _errors++;
            }
        }

        public LoadResult Result(double seconds)
        {
            lock (_ticks) return LoadResult.FromLatencies([.. _ticks], _errors, seconds);
        }
    }
}
