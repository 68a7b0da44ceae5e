using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.SimulatedPlatforms;

namespace OnSeoulSafe.Bench;

/// <summary>
/// The monitoring rows (tool <c>monitoring</c>, group <c>monitoring</c>): the monitoring worker, the published portal
/// started as its own process (<c>OnSeoulSafe.Web.dll --monitor</c>, the same <c>MonitoringJob</c> the portal runs
/// inside itself), crawls or re-checks simulated boards that this process serves on 127.0.0.1, one port (one host to
/// the crawler) a board. Every row gets fresh boards and a fresh worker, so each worker's peak memory is its own row's.
/// <list type="bullet">
/// <item><c>crawl-pages</c>: sources at each board's front page, depth 1, posts of text alone: pages a second.</item>
/// <item><c>crawl-media</c>: the same with posts showing pictures and a video (six files a post): files fetched,
/// sniffed and hashed (SHA-256, PDQ with its dihedrals, video frames) a second, the pages that led to them included.</item>
/// <item><c>link-check</c>: requested links on case ledgers, queued by the re-check and checked by the worker: links
/// checked a second.</item>
/// </list>
/// Each host keeps the production politeness (one request a second, two at once); there are more hosts than the
/// worker can serve, so the worker, not the politeness, sets the figure. The rate is units over the time from the
/// first unit queued to the last done, polled every 50 ms. Afterwards: every address fetched exactly once, never two
/// requests for one address at once, no host above its limit, nothing parked, every link's check recorded.
/// </summary>
public sealed class MonitoringBench(BenchOptions options, BenchData data)
{
    /// <summary>Per host: one request a second and two at once, the defaults of a source and of the re-check.</summary>
    private const double RequestsPerSecondPerHost = 1;
    private const int AtOncePerHost = 2;
    private const int FilesPerPost = 6;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(170);

    public async Task<LoadResult> MeasureAsync(Scenario scenario, Outcome outcome, CancellationToken cancellationToken)
    {
        if (options.PortalDirectory is null) throw new InvalidOperationException("the monitoring rows need the published portal (--portal-dir)");
        var boards = scenario.Boards ?? 100;
        var posts = scenario.Posts ?? 10;
        var media = scenario.Flow == "crawl-media";
        var settings = new SimulatedPlatformsSettings(Enumerable.Range(0, boards)
            .Select(i => new BoardSettings($"{scenario.Name}-{i}", Posts: posts) { Media = media }).ToList());
        await using var platforms = await PlatformSimulation.StartAsync(settings, cancellationToken: cancellationToken);
        // The pictures are drawn once, before the clock starts (every board shows the same posts' pictures).
        if (media) for (var i = 0; i < posts; i++) platforms.Picture(i);
        await PauseEarlierSourcesAsync(cancellationToken);
        outcome.Checks["hosts"] = boards;

        return scenario.Flow switch
        {
            "crawl-pages" or "crawl-media" => await CrawlAsync(scenario, outcome, platforms, posts, media, cancellationToken),
            "link-check" => await LinkCheckAsync(scenario, outcome, platforms, posts, cancellationToken),
            _ => throw new InvalidOperationException($"Unknown monitoring flow '{scenario.Flow}'."),
        };
    }

    private async Task<LoadResult> CrawlAsync(Scenario scenario, Outcome outcome, PlatformSimulation platforms, int posts, bool media, CancellationToken cancellationToken)
    {
        await using (var scope = data.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var now = TimeProvider.System.GetUtcNow();
            foreach (var board in platforms.Boards)
            {
                db.MonitoringSources.Add(new MonitoringSource(board.Settings.Name, board.Url("/"), null, maxDepth: 1, TimeSpan.FromDays(1),
                    AtOncePerHost, RequestsPerSecondPerHost, now));
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        var pages = platforms.Boards.Count * (1 + posts);
        var files = media ? platforms.Boards.Count * posts * FilesPerPost : 0;
        var published = platforms.Boards.SelectMany(b => new[] { "/" }.Concat(Enumerable.Range(0, posts)
                .SelectMany(i => new[] { $"/post/{i}" }.Concat(media ? PlatformSimulation.MediaPaths(i) : [])))
                .Select(path => b.Port.ToString(CultureInfo.InvariantCulture) + path))
            .ToHashSet();
        await using var worker = Worker.Start(options, scenario.Name, crawl: true);
        var (seconds, drained) = await TimeQueueAsync(pages + files, () => Task.FromResult((long)Hits(platforms, published, outcome).Count), cancellationToken);
        worker.Sample(outcome);

        var hits = Hits(platforms, published, outcome);
        var pageHits = hits.Where(h => !h.Key.Contains("/media/", StringComparison.Ordinal)).ToList();
        var mediaHits = hits.Where(h => h.Key.Contains("/media/", StringComparison.Ordinal)).ToList();
        var units = media ? mediaHits.Count : pageHits.Count;
        outcome.Checks["pagesFetched"] = pageHits.Count;
        outcome.Checks["pagesExpected"] = pages;
        if (media)
        {
            outcome.Checks["mediaFetched"] = mediaHits.Count;
            outcome.Checks["mediaExpected"] = files;
        }
        var parked = await ScalarAsync("""SELECT count(*) FROM "MonitoringWork" WHERE "DeadAt" IS NOT NULL""", cancellationToken);
        var waiting = await ScalarAsync("""SELECT count(*) FROM "MonitoringWork" WHERE "DeadAt" IS NULL""", cancellationToken);
        outcome.Checks["parked"] = parked;
        outcome.Target($"the crawl finished within {Patience.TotalSeconds:0} s ({waiting} units left in the queue)", drained && waiting == 0);
        outcome.Target($"pages fetched ({pageHits.Count}) = pages on the boards ({pages})", pageHits.Count == pages);
        if (media) outcome.Target($"files fetched and hashed ({mediaHits.Count}) = files on the boards ({files})", mediaHits.Count == files);
        outcome.Target($"nothing parked ({parked})", parked == 0);
        Politeness(outcome, platforms, hits);
        return Judge(scenario, outcome, units, seconds, parked);
    }

    private async Task<LoadResult> LinkCheckAsync(Scenario scenario, Outcome outcome, PlatformSimulation platforms, int posts, CancellationToken cancellationToken)
    {
        // Every post of every board is a requested link on a case's ledger; one in five names a post the board does not
        // have (404: verified gone), the rest are up. One case a board.
        var links = new List<string>();
        var itemIds = new List<long>();
        await using (var scope = data.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var fingerprints = scope.ServiceProvider.GetRequiredService<Fingerprints>();
            var now = TimeProvider.System.GetUtcNow();
            var platform = new Platform("Bench boards " + now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), ["127.0.0.1"],
                RequestChannel.WebForm, null, "{links}", "{links}");
            db.Platforms.Add(platform);
            await db.SaveChangesAsync(cancellationToken);
            var items = new List<ContentItem>();
            foreach (var board in platforms.Boards)
            {
                var @case = await BenchCases.OpenAsync(db, fingerprints, now.AddDays(-3), cancellationToken);
                for (var post = 0; post < posts; post++)
                {
                    var number = post % 5 == 4 ? posts + post : post;
                    var url = ContentLinks.Normalise(board.Url($"/post/{number}"))!;
                    links.Add(url);
                    var item = new ContentItem(@case.Id, url, fingerprints.ContentUrl(url), platform.Id, ContentKind.Video, ContentFinder.Companion, false, now.AddDays(-2));
                    item.RequestDeletion(platform.Id, RequestChannel.WebForm, "ko", null, now.AddDays(-1));
                    items.Add(item);
                }
            }
            db.ContentItems.AddRange(items);
            await db.SaveChangesAsync(cancellationToken);
            itemIds.AddRange(items.Select(i => i.Id));
        }
        var ids = itemIds.ToArray();
        await using var worker = Worker.Start(options, scenario.Name, crawl: false);
        var (seconds, drained) = await TimeQueueAsync(ids.Length, () => CountCheckedAsync(ids, cancellationToken), cancellationToken);
        worker.Sample(outcome);

        var hits = Hits(platforms, links.Select(l => new Uri(l)).Select(u => u.Port.ToString(CultureInfo.InvariantCulture) + u.AbsolutePath).ToHashSet(), outcome);
        var checkedLinks = await CountCheckedAsync(ids, cancellationToken);
        var parked = await ScalarAsync("""SELECT count(*) FROM "MonitoringWork" WHERE "DeadAt" IS NOT NULL""", cancellationToken);
        var gone = await ScalarAsync($"""SELECT count(*) FROM "ContentItems" WHERE "Id" = ANY(@ids) AND "Status" = '{ContentStatus.VerifiedGone}'""", cancellationToken, ids);
        var fetchedOnce = hits.Count(h => h.Value == 1);
        outcome.Checks["links"] = ids.Length;
        outcome.Checks["checksRecorded"] = checkedLinks;
        outcome.Checks["verifiedGone"] = gone;
        outcome.Checks["parked"] = parked;
        outcome.Target($"the checks finished within {Patience.TotalSeconds:0} s", drained);
        outcome.Target($"checks recorded ({checkedLinks}) = links ({ids.Length})", checkedLinks == ids.Length);
        outcome.Target($"links fetched exactly once ({fetchedOnce}) = links ({ids.Length}), {hits.Count} addresses asked", fetchedOnce == ids.Length && hits.Count == ids.Length);
        var missing = links.Count(l => int.Parse(l[(l.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture) >= posts);
        outcome.Target($"links to missing posts verified gone ({gone}) = {missing}", gone == missing);
        outcome.Target($"nothing parked ({parked})", parked == 0);
        Politeness(outcome, platforms, hits);
        return Judge(scenario, outcome, checkedLinks, seconds, parked);
    }

    /// <summary>No address asked twice (the crawl) and never two requests for it at once; no host above its limit.</summary>
    private static void Politeness(Outcome outcome, PlatformSimulation platforms, IReadOnlyDictionary<string, int> hits)
    {
        var twice = hits.Count(h => h.Value > 1);
        var mostForOne = platforms.MostAtOnceForOneAddress;
        var mostForHost = platforms.Boards.Max(platforms.MostAtOnce);
        outcome.Checks["addressesAskedTwice"] = twice;
        outcome.Checks["mostAtOnceOneHost"] = mostForHost;
        outcome.Target($"no address fetched twice ({twice})", twice == 0);
        outcome.Target($"never two requests for one address at once (most {mostForOne})", mostForOne <= 1);
        outcome.Target($"no host above {AtOncePerHost} requests at once (most {mostForHost})", mostForHost <= AtOncePerHost);
    }

    private static LoadResult Judge(Scenario scenario, Outcome outcome, long units, double seconds, long parked)
    {
        var perSecond = seconds > 0 ? units / seconds : 0;
        outcome.Checks["milliseconds"] = (long)(seconds * 1000);
        if (scenario.MinPerSecond is { } target)
        {
            outcome.Target(string.Create(CultureInfo.InvariantCulture, $"{perSecond:0.0} a second ≥ {target}"), perSecond >= target);
        }
        // Latency columns stay empty: the figure is a throughput over the whole run.
        return new LoadResult(units, parked, seconds, 0, 0, 0, 0);
    }

    /// <summary>
    /// From the first unit done to the last: polls <paramref name="done"/> every 50 ms until it reaches
    /// <paramref name="expected"/> and then stays put for a second (a crawl finds its files as it goes). The time is up
    /// to the poll where the count last grew.
    /// </summary>
    private static async Task<(double Seconds, bool Drained)> TimeQueueAsync(long expected, Func<Task<long>> done, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        double? first = null;
        double last = 0;
        long seen = 0;
        while (watch.Elapsed < Patience)
        {
            var count = await done();
            var at = watch.Elapsed.TotalSeconds;
            if (count > 0 && first is null) first = at;
            if (count != seen)
            {
                seen = count;
                last = at;
            }
            if (count >= expected && at - last > 1) return (last - first!.Value, true);
            await Task.Delay(50, cancellationToken);
        }
        return (first is null ? 0 : last - first.Value, false);
    }

    /// <summary>
    /// Requests for the addresses the boards publish. Requests for anything else are counted apart (otherRequests), not
    /// judged: on a shared machine another program may pick one of the boards' ports as free a moment before a board
    /// takes it, and call it.
    /// </summary>
    private static Dictionary<string, int> Hits(PlatformSimulation platforms, HashSet<string> published, Outcome outcome)
    {
        var all = platforms.AllHits;
        outcome.Checks["otherRequests"] = all.Where(h => !published.Contains(h.Key)).Sum(h => (long)h.Value);
        return all.Where(h => published.Contains(h.Key)).ToDictionary(h => h.Key, h => h.Value);
    }

    private Task<long> CountCheckedAsync(long[] ids, CancellationToken cancellationToken) =>
        ScalarAsync("""SELECT count(*) FROM "ContentItems" WHERE "Id" = ANY(@ids) AND "LastCheckedAt" IS NOT NULL""", cancellationToken, ids);

    /// <summary>Sources of earlier rows (their boards are gone) are paused so they cannot take this row's worker.</summary>
    private async Task PauseEarlierSourcesAsync(CancellationToken cancellationToken)
    {
        await using var scope = data.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.MonitoringSources.Where(s => !s.IsPaused).ExecuteUpdateAsync(s => s.SetProperty(x => x.IsPaused, true), cancellationToken);
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken, long[]? ids = null)
    {
        await using var connection = new NpgsqlConnection(data.OwnerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        if (ids is not null) command.Parameters.AddWithValue("ids", ids);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The published portal as the monitoring worker alone (<c>--monitor</c>), configured as in production apart from
    /// being allowed to reach 127.0.0.1 (and nothing else): the crawl, or the re-check.
    /// </summary>
    private sealed class Worker : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly MemorySampler _memory;
        private readonly long _cpuTicksAtStart;
        private readonly StreamWriter _log;

        private Worker(Process process, StreamWriter log)
        {
            _process = process;
            _log = log;
            _memory = new MemorySampler(process.Id);
            _memory.Start();
            _cpuTicksAtStart = CpuTicks(process.Id);
        }

        public static Worker Start(BenchOptions options, string row, bool crawl)
        {
            var start = new ProcessStartInfo("dotnet", ["OnSeoulSafe.Web.dll", "--monitor"])
            {
                WorkingDirectory = options.PortalDirectory!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // As the portal: never the owner's password, the same young-generation size.
            start.Environment.Remove("ConnectionStrings__PortalOwner");
            start.Environment["DOTNET_GCgen0size"] = "0x2000000";
            start.Environment["Portal__Monitoring__Enabled"] = crawl ? "true" : "false";
            start.Environment["Portal__Recheck__Enabled"] = crawl ? "false" : "true";
            foreach (var section in new[] { "Monitoring", "Recheck" })
            {
                start.Environment[$"Portal__{section}__AllowPrivateAddresses"] = "true";
                start.Environment[$"Portal__{section}__LoopbackOnly"] = "true";
            }
            var process = Process.Start(start) ?? throw new InvalidOperationException("the monitoring worker could not be started");
            // The worker's log (host keys and outcome words, never an address) beside the results, for a look afterwards.
            Directory.CreateDirectory(options.ResultsDirectory);
            var log = new StreamWriter(Path.Combine(options.ResultsDirectory, $"{row}-worker.log")) { AutoFlush = true };
            process.OutputDataReceived += (_, e) => Write(log, e.Data);
            process.ErrorDataReceived += (_, e) => Write(log, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new Worker(process, log);
        }

        private static void Write(StreamWriter log, string? line)
        {
            if (line is null) return;
            try
            {
                lock (log) log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A last line after the worker was stopped.
            }
        }

        /// <summary>The worker's peak resident memory (VmHWM) and processor time so far.</summary>
        public void Sample(Outcome outcome)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the monitoring worker stopped with exit code {_process.ExitCode}");
            outcome.Checks["workerPeakMb"] = (_memory.PeakKb() ?? 0) / 1024;
            outcome.Checks["workerCpuMs"] = (CpuTicks(_process.Id) - _cpuTicksAtStart) * 10;
        }

        /// <summary>
        /// utime + stime + cutime + cstime from /proc/pid/stat, in clock ticks (100 a second): the worker's own processor
        /// time and that of the ffmpeg processes it ran and waited for.
        /// </summary>
        private static long CpuTicks(int pid)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
        }

        public async ValueTask DisposeAsync()
        {
            await _memory.DisposeAsync();
            try
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
            }
            _process.Dispose();
            lock (_log) _log.Dispose();
        }
    }
}

/// <summary>A case for the bench's ledgers, opened through the domain as intake opens one.</summary>
internal static class BenchCases
{
    public static async Task<Case> OpenAsync(PortalDbContext db, Fingerprints fingerprints, DateTimeOffset opened, CancellationToken cancellationToken)
    {
        var number = await db.NextCaseNumberAsync(cancellationToken);
        var reference = CaseReference.Legacy(opened.Year, number);
        var @case = Case.Open(number, reference, Guid.NewGuid().ToByteArray(), new Victim("Bench", "ko"), [CrimeType.DistributionWithoutConsent],
            Text.Narrative(200), DateOnly.FromDateTime(opened.UtcDateTime.AddDays(-5)), new RiskScreening(false, false, false, false),
            SafeContact.PortalOnly, fingerprints.AccessCode(reference, AccessCode.Generate()), opened);
        db.Cases.Add(@case);
        await db.SaveChangesAsync(cancellationToken);
        return @case;
    }
}
