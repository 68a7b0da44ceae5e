using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Monitoring;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Monitoring;

/// <summary>The monitoring work queue on the real database, with workers that each have their own connection.</summary>
public sealed class WorkQueueTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly QueueSettings Settings = new(TimeSpan.FromMinutes(2), 3, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
    private readonly ManualClock _clock = new(Start);
    private readonly List<PortalDbContext> _contexts = [];
    private string _database = "";

    public async Task InitializeAsync() => _database = await PortalDatabaseTemplate.CreateDatabaseAsync("work_queue");

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts) await context.DisposeAsync();
    }

    /// <summary>A worker: its own context and connection, as another process would have.</summary>
    private WorkQueue Worker()
    {
        var db = PortalDatabaseTemplate.NewContext(_database, TestSecrets.Cipher);
        _contexts.Add(db);
        return new WorkQueue(db, _clock, Settings);
    }

    private static List<WorkToQueue> Pages(string host, int count) =>
        Enumerable.Range(0, count).Select(i => new WorkToQueue(MonitoringWorkKind.Page, $"http://{host}/page/{i}", host, null, 0)).ToList();

    [Fact]
    public async Task Two_workers_taking_at_once_never_lease_the_same_item()
    {
        // Arrange
        var setup = Worker();
        foreach (var host in new[] { "a.example:80", "b.example:80", "c.example:80", "d.example:80" })
        {
            await setup.SetHostLimitsAsync(new HostLimits(host, TimeSpan.Zero, 1000), default);
            await setup.EnqueueAsync(Pages(host, 60), Start, default);
        }
        var taken = new ConcurrentBag<long>();
        async Task RunAsync(WorkQueue queue)
        {
            while (await queue.TakeAsync(default) is { } work) taken.Add(work.Id);
        }

        // Act
        await Task.WhenAll(RunAsync(Worker()), RunAsync(Worker()));

        // Assert
        taken.Count.ShouldBe(240);
        taken.Distinct().Count().ShouldBe(240);
        (await setup.CountsAsync(default)).ShouldBe(new QueueCounts(0, 240, 0));
    }

    [Fact]
    public async Task A_host_with_much_work_does_not_starve_the_others()
    {
        // Arrange
        var queue = Worker();
        foreach (var host in new[] { "busy.example:80", "small.example:80", "tiny.example:80" })
        {
            await queue.SetHostLimitsAsync(new HostLimits(host, TimeSpan.FromSeconds(1), 10), default);
        }
        await queue.EnqueueAsync(Pages("busy.example:80", 50), Start, default);
        await queue.EnqueueAsync(Pages("small.example:80", 2), Start, default);
        await queue.EnqueueAsync(Pages("tiny.example:80", 2), Start, default);

        // Act: take until nothing is due, then let a second pass.
        var order = new List<string>();
        var nothingDue = 0;
        while (order.Count < 8)
        {
            if (await queue.TakeAsync(default) is { } work) order.Add(work.HostKey);
            else
            {
                nothingDue++;
                _clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        // Assert: each host once per second, in turn; the busy host's 50 items wait their turn.
        order.Take(6).ShouldBe(["busy.example:80", "small.example:80", "tiny.example:80", "busy.example:80", "small.example:80", "tiny.example:80"]);
        order.Skip(6).ShouldAllBe(h => h == "busy.example:80");
        nothingDue.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task A_host_never_has_more_leases_out_than_its_limit()
    {
        var queue = Worker();
        await queue.SetHostLimitsAsync(new HostLimits("slow.example:80", TimeSpan.Zero, 2), default);
        await queue.EnqueueAsync(Pages("slow.example:80", 5), Start, default);

        var first = await queue.TakeAsync(default);
        var second = await queue.TakeAsync(default);
        var third = await queue.TakeAsync(default);
        (await queue.CompleteAsync(first!, default)).ShouldBeTrue();
        var fourth = await queue.TakeAsync(default);

        first.ShouldNotBeNull();
        second.ShouldNotBeNull();
        third.ShouldBeNull();
        fourth.ShouldNotBeNull();
    }

    [Fact]
    public async Task Work_held_by_a_worker_that_crashed_is_taken_again_after_a_restart_and_the_late_worker_cannot_complete_it()
    {
        // Arrange: one worker leases and "crashes" (its context and connection gone, like a stopped process).
        var crashed = PortalDatabaseTemplate.NewContext(_database, TestSecrets.Cipher);
        var before = new WorkQueue(crashed, _clock, Settings);
        await before.SetHostLimitsAsync(new HostLimits("board.example:80", TimeSpan.Zero, 5), default);
        await before.EnqueueAsync(Pages("board.example:80", 1), Start, default);
        var lost = (await before.TakeAsync(default))!;
        await crashed.DisposeAsync();
        var after = Worker();

        // Act
        var whileLeased = await after.TakeAsync(default);
        _clock.Advance(Settings.LeaseDuration + TimeSpan.FromSeconds(1));
        var retaken = await after.TakeAsync(default);
        var lateCompletion = await after.CompleteAsync(lost, default);
        var lateFailure = await after.FailAsync(lost, "timeout", default);
        var completion = await after.CompleteAsync(retaken!, default);

        // Assert
        whileLeased.ShouldBeNull();
        retaken.ShouldNotBeNull();
        retaken.Id.ShouldBe(lost.Id);
        retaken.LeaseToken.ShouldNotBe(lost.LeaseToken);
        retaken.Attempts.ShouldBe(2);
        lateCompletion.ShouldBeFalse();
        lateFailure.ShouldBeFalse();
        completion.ShouldBeTrue();
        (await after.CountsAsync(default)).ShouldBe(new QueueCounts(0, 0, 0));
    }

    [Fact]
    public async Task A_failure_is_retried_later_and_later_then_parked_visibly_with_its_reason()
    {
        var queue = Worker();
        await queue.SetHostLimitsAsync(new HostLimits("flaky.example:80", TimeSpan.Zero, 5), default);
        await queue.EnqueueAsync(Pages("flaky.example:80", 1), Start, default);

        var first = (await queue.TakeAsync(default))!;
        await queue.FailAsync(first, "status-503", default);
        var tooSoon = await queue.TakeAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = (await queue.TakeAsync(default))!;
        await queue.FailAsync(second, "timeout", default);
        _clock.Advance(TimeSpan.FromMinutes(3));
        var stillTooSoon = await queue.TakeAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var third = (await queue.TakeAsync(default))!;
        await queue.FailAsync(third, "timeout", default);
        _clock.Advance(TimeSpan.FromDays(1));
        var afterParking = await queue.TakeAsync(default);
        var requeued = await queue.EnqueueAsync(Pages("flaky.example:80", 1), _clock.GetUtcNow(), default);

        tooSoon.ShouldBeNull();
        stillTooSoon.ShouldBeNull();
        third.Attempts.ShouldBe(3);
        afterParking.ShouldBeNull();
        await using var db = PortalDatabaseTemplate.NewContext(_database, TestSecrets.Cipher);
        var parked = await db.MonitoringWork.AsNoTracking().SingleAsync(w => w.Id == first.Id);
        parked.DeadAt.ShouldNotBeNull();
        parked.LastError.ShouldBe("timeout");
        parked.LeaseToken.ShouldBeNull();
        requeued.ShouldBe(1, "a parked address may be queued again by the next crawl");
        (await queue.CountsAsync(default)).ShouldBe(new QueueCounts(1, 0, 1));
        queue.RetryDelay(1).ShouldBe(TimeSpan.FromMinutes(1));
        queue.RetryDelay(3).ShouldBe(TimeSpan.FromMinutes(16));
        queue.RetryDelay(10).ShouldBe(TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task One_address_waits_only_once_per_kind_of_work()
    {
        var queue = Worker();
        var page = new WorkToQueue(MonitoringWorkKind.Page, "http://board.example/x", "board.example:80", null, 0);

        var first = await queue.EnqueueAsync([page, page], Start, default);
        var again = await queue.EnqueueAsync([page], Start, default);
        var check = await queue.EnqueueAsync([page with { Kind = MonitoringWorkKind.LinkCheck }], Start, default);
        var leased = (await queue.TakeAsync(default))!;
        var whileLeased = await queue.EnqueueAsync([page with { Kind = leased.Kind }], Start, default);

        first.ShouldBe(1);
        again.ShouldBe(0);
        check.ShouldBe(1);
        whileLeased.ShouldBe(0);
        await using var db = PortalDatabaseTemplate.NewContext(_database, TestSecrets.Cipher);
        (await db.MonitoredHosts.AsNoTracking().SingleAsync()).HostKey.ShouldBe("board.example:80");
    }
}
