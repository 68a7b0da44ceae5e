using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Matching;
using OnSeoulSafe.Cases.Monitoring;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Monitoring;

/// <summary>
/// The crawl and the re-check on one work queue in the real database: link checks scheduled from the ledger, leased in
/// batches beside crawl work, fair across hosts, one check per address at a time, surviving a crashed worker and a
/// restart. Links are served on 127.0.0.1 only.
/// </summary>
public sealed class SharedQueueTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly QueueSettings Settings = new(TimeSpan.FromMinutes(2), 3, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
    private readonly ManualClock _clock = new(Start);
    private readonly List<PortalDbContext> _contexts = [];
    private TestLinkServer _server = null!;
    private string _database = "";
    private int _platformId;

    public async Task InitializeAsync()
    {
        _server = await TestLinkServer.StartAsync();
        _database = await PortalDatabaseTemplate.CreateDatabaseAsync("shared_queue");
        var db = Context();
        var platform = new Platform("LoopTube", ["127.0.0.1"], RequestChannel.WebForm, null, "{links}", "{links}", TestLinkServer.RemovedMarker);
        db.Platforms.Add(platform);
        await db.SaveChangesAsync();
        _platformId = platform.Id;
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts) await context.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>A context with its own connection, as another worker or process would have.</summary>
    private PortalDbContext Context()
    {
        var db = PortalDatabaseTemplate.NewContext(_database, TestSecrets.Cipher);
        _contexts.Add(db);
        return db;
    }

    private WorkQueue Queue(PortalDbContext? db = null) => new(db ?? Context(), _clock, Settings);

    private static RecheckOptions Options() => new()
    {
        Enabled = true,
        AllowPrivateAddresses = true,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        TotalTimeout = TimeSpan.FromSeconds(10),
        RecheckAfter = TimeSpan.FromHours(24),
        HostMinimumDelay = TimeSpan.Zero,
        HostMaxConcurrency = 4,
    };

    private static RecheckRunner Runner(PortalDbContext db, LinkProbe probe, TimeProvider clock) =>
        new(db, probe, new EvidenceHashes(db, clock), new ContentLedger(db, TestSecrets.Fingerprints, clock), new PerceptualMatches(db, new HashBankIndex()), clock,
            Microsoft.Extensions.Options.Options.Create(Options()), NullLogger<RecheckRunner>.Instance);

    /// <summary>A requested link on a new case's ledger.</summary>
    private async Task<ContentItem> RequestedAsync(PortalDbContext db, string url)
    {
        var @case = await TestCases.OpenAsync(db, Start.AddDays(-3));
        var item = new ContentItem(@case.Id, url, TestSecrets.Fingerprints.ContentUrl(url), _platformId, ContentKind.Video, ContentFinder.Companion, false, Start.AddDays(-2));
        item.RequestDeletion(_platformId, RequestChannel.WebForm, "ko", null, Start.AddDays(-1));
        db.ContentItems.Add(item);
        await db.SaveChangesAsync();
        return item;
    }

    private static List<WorkToQueue> Pages(string host, int count) =>
        Enumerable.Range(0, count).Select(i => new WorkToQueue(MonitoringWorkKind.Page, $"http://{host}/page/{i}", host, null, 0)).ToList();

    private static List<WorkToQueue> LinkChecks(string host, int count) =>
        Enumerable.Range(0, count).Select(i => new WorkToQueue(MonitoringWorkKind.LinkCheck, $"link:{host}-{i:x4}", host, null, 0)).ToList();

    [Fact]
    public async Task A_link_on_two_ledgers_is_queued_once_checked_once_and_recorded_on_both()
    {
        // Arrange: the same gone link on two cases, and a link still up.
        var db = Context();
        var gone = _server.Url("/gone410");
        var first = await RequestedAsync(db, gone);
        var second = await RequestedAsync(db, gone);
        var up = await RequestedAsync(db, _server.Url("/up/shared-queue"));
        using var probe = new LinkProbe(Options());
        var scheduler = Runner(db, probe, _clock);
        var queue = Queue(db);

        // Act: two schedulers (two processes) queue what is due; a worker takes a batch and checks each.
        var queued = await scheduler.ScheduleDueAsync(queue, 100, default);
        var queuedAgain = await Runner(Context(), probe, _clock).ScheduleDueAsync(Queue(), 100, default);
        var batch = await Queue().TakeBatchAsync(10, default);
        var steps = new List<CrawlStep>();
        foreach (var work in batch)
        {
            var workerDb = Context();
            steps.Add(await Runner(workerDb, probe, _clock).CheckQueuedAsync(work, default));
            (await Queue(workerDb).CompleteAsync(work, default)).ShouldBeTrue();
        }

        // Assert
        queued.ShouldBe(2);
        queuedAgain.ShouldBe(0);
        batch.Count.ShouldBe(2);
        batch.ShouldAllBe(w => w.Kind == MonitoringWorkKind.LinkCheck && w.Address.StartsWith("link:") && !w.Address.Contains("127.0.0.1"));
        steps.Select(s => s.Reason).Order().ShouldBe(["gone", "stillup"]);
        _server.Hits("/gone410").ShouldBe(1);
        _server.Hits("/up/shared-queue").ShouldBe(1);
        var check = Context();
        var items = await check.ContentItems.AsNoTracking().Include(c => c.Requests).Where(c => c.Id == first.Id || c.Id == second.Id || c.Id == up.Id).ToDictionaryAsync(c => c.Id);
        items[first.Id].Status.ShouldBe(ContentStatus.VerifiedGone);
        items[second.Id].Status.ShouldBe(ContentStatus.VerifiedGone);
        items[second.Id].LastCheckedAt.ShouldBe(Start);
        items[up.Id].LastCheckOutcome.ShouldBe(RecheckOutcome.StillUp);
        (await Runner(check, probe, _clock).ScheduleDueAsync(Queue(check), 100, default)).ShouldBe(0, "checked links are not due again before RecheckAfter");
        (await Queue(check).CountsAsync(default)).ShouldBe(new QueueCounts(0, 0, 0));
    }

    [Fact]
    public async Task Each_pass_of_the_schedule_reaches_further_into_a_backlog_and_the_queue_survives_a_restart()
    {
        // Arrange: five due links, a schedule of two links a pass.
        var db = Context();
        for (var i = 0; i < 5; i++) await RequestedAsync(db, _server.Url($"/up/backlog-{i}"));
        using var probe = new LinkProbe(Options());

        // Act: three passes, each by a "process" that then stops (its context disposed).
        var passes = new List<int>();
        for (var pass = 0; pass < 3; pass++)
        {
            await using var process = PortalDatabaseTemplate.NewContext(_database, TestSecrets.Cipher);
            passes.Add(await Runner(process, probe, _clock).ScheduleDueAsync(Queue(process), 2, default));
        }
        // A new worker after the restart finds every check waiting and does them.
        var worker = Context();
        var done = 0;
        while (await Queue(worker).TakeBatchAsync(3, default) is { Count: > 0 } batch)
        {
            foreach (var work in batch)
            {
                var step = await Runner(Context(), probe, _clock).CheckQueuedAsync(work, default);
                if (step.Result == StepResult.Done && await Queue(worker).CompleteAsync(work, default)) done++;
            }
        }

        // Assert
        passes.ShouldBe([2, 2, 1]);
        done.ShouldBe(5);
        Enumerable.Range(0, 5).ShouldAllBe(i => _server.Hits($"/up/backlog-{i}") == 1);
        (await worker.ContentItems.CountAsync(c => c.LastCheckedAt == Start)).ShouldBe(5);
    }

    [Fact]
    public async Task Two_workers_leasing_batches_at_once_never_hold_the_same_address()
    {
        // Arrange: crawl pages and link checks on four hosts; one address offered twice is queued once per kind.
        var setup = Queue();
        foreach (var host in new[] { "a.example:80", "b.example:80", "c.example:80", "d.example:80" })
        {
            await setup.SetHostLimitsAsync(new HostLimits(host, TimeSpan.Zero, 1000), default);
            await setup.EnqueueAsync(Pages(host, 30), Start, default);
            await setup.EnqueueAsync(LinkChecks(host, 30), Start, default);
        }
        var again = await setup.EnqueueAsync(LinkChecks("a.example:80", 30), Start, default);
        var taken = new ConcurrentBag<(long Id, MonitoringWorkKind Kind, string Address)>();
        async Task RunAsync(WorkQueue queue)
        {
            while (await queue.TakeBatchAsync(7, default) is { Count: > 0 } batch)
            {
                foreach (var work in batch) taken.Add((work.Id, work.Kind, work.Address));
            }
        }

        // Act
        await Task.WhenAll(RunAsync(Queue()), RunAsync(Queue()), RunAsync(Queue()));

        // Assert
        again.ShouldBe(0);
        taken.Count.ShouldBe(240);
        taken.Select(t => t.Id).Distinct().Count().ShouldBe(240);
        taken.Select(t => (t.Kind, t.Address)).Distinct().Count().ShouldBe(240);
        (await setup.CountsAsync(default)).ShouldBe(new QueueCounts(0, 240, 0));
    }

    [Fact]
    public async Task A_batch_takes_one_item_from_each_host_whose_turn_it_is_so_link_checks_and_crawl_work_interleave()
    {
        // Arrange: a host with a long crawl, a host with many link checks, a host with both; one request a second each.
        var queue = Queue();
        foreach (var host in new[] { "crawl.example:80", "checks.example:80", "both.example:80" })
        {
            await queue.SetHostLimitsAsync(new HostLimits(host, TimeSpan.FromSeconds(1), 5), default);
        }
        await queue.EnqueueAsync(Pages("crawl.example:80", 40), Start, default);
        await queue.EnqueueAsync(LinkChecks("checks.example:80", 40), Start, default);
        await queue.EnqueueAsync(Pages("both.example:80", 1), Start, default);
        await queue.EnqueueAsync(LinkChecks("both.example:80", 1), Start.AddMilliseconds(1), default);

        // Act: a batch of ten, again at once (nobody's turn), then a second later.
        var first = await queue.TakeBatchAsync(10, default);
        var tooSoon = await queue.TakeBatchAsync(10, default);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = await queue.TakeBatchAsync(10, default);

        // Assert: each host gave one item a turn, whatever the length of its line; on the shared host the page came
        // due first, the link check a turn later.
        first.Select(w => w.HostKey).Order().ShouldBe(["both.example:80", "checks.example:80", "crawl.example:80"]);
        first.Select(w => w.Kind).Distinct().Count().ShouldBe(2);
        first.Single(w => w.HostKey == "both.example:80").Kind.ShouldBe(MonitoringWorkKind.Page);
        tooSoon.ShouldBeEmpty();
        second.Select(w => w.HostKey).Order().ShouldBe(["both.example:80", "checks.example:80", "crawl.example:80"]);
        second.Single(w => w.HostKey == "both.example:80").Kind.ShouldBe(MonitoringWorkKind.LinkCheck);
        (await queue.NextTurnAsync(default)).ShouldBe(Start.AddSeconds(2));
    }

    [Fact]
    public async Task A_host_without_a_pause_gives_a_batch_up_to_its_limit_of_leases_and_no_more()
    {
        var queue = Queue();
        await queue.SetHostLimitsAsync(new HostLimits("fast.example:80", TimeSpan.Zero, 3), default);
        await queue.EnqueueAsync(LinkChecks("fast.example:80", 10), Start, default);

        var first = await queue.TakeBatchAsync(10, default);
        var full = await queue.TakeBatchAsync(10, default);
        (await queue.CompleteAsync(first[0], default)).ShouldBeTrue();
        var freed = await queue.TakeBatchAsync(10, default);

        first.Count.ShouldBe(3);
        full.ShouldBeEmpty();
        freed.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_crashed_workers_batch_is_taken_again_by_another_once_its_leases_run_out()
    {
        // Arrange: a worker leases a batch of link checks and stops (its connection gone).
        var crashedDb = PortalDatabaseTemplate.NewContext(_database, TestSecrets.Cipher);
        var crashed = Queue(crashedDb);
        await crashed.SetHostLimitsAsync(new HostLimits("links.example:80", TimeSpan.Zero, 10), default);
        await crashed.EnqueueAsync(LinkChecks("links.example:80", 4), Start, default);
        var lost = await crashed.TakeBatchAsync(10, default);
        await crashedDb.DisposeAsync();
        var other = Queue();

        // Act
        var whileLeased = await other.TakeBatchAsync(10, default);
        _clock.Advance(Settings.LeaseDuration + TimeSpan.FromSeconds(1));
        var retaken = await other.TakeBatchAsync(10, default);
        var late = await other.CompleteAsync(lost[0], default);

        // Assert
        lost.Count.ShouldBe(4);
        whileLeased.ShouldBeEmpty();
        retaken.Select(w => w.Id).Order().ShouldBe(lost.Select(w => w.Id).Order());
        retaken.ShouldAllBe(w => w.Attempts == 2);
        late.ShouldBeFalse();
        foreach (var work in retaken) (await other.CompleteAsync(work, default)).ShouldBeTrue();
        (await other.CountsAsync(default)).ShouldBe(new QueueCounts(0, 0, 0));
    }
}
