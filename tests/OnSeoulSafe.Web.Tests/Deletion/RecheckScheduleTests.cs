using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Monitoring;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Deletion;

/// <summary>
/// The re-check job as the portal runs it: the hosted schedule puts due links on the shared work queue and the
/// portal's queue workers check them, switched on through configuration (loopback explicitly allowed), driven by a
/// fake clock, against a web server on 127.0.0.1. Each pass is awaited through the workers' completion signal.
/// </summary>
public sealed class RecheckScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan PassTimeout = TimeSpan.FromSeconds(90);
    private readonly FakeTimeProvider _clock = new(Start);

    [Fact]
    public async Task The_hosted_job_rechecks_at_start_and_then_every_interval_and_records_each_result()
    {
        // Arrange: two requested links before the portal starts; one is gone, one is still online.
        await using var server = await TestLinkServer.StartAsync();
        await using var portal = new RecheckingPortal(_clock);
        await ((IAsyncLifetime)portal).InitializeAsync();
        long gone, up;
        await using (var db = PortalDatabaseTemplate.NewContext(portal.ConnectionString, TestSecrets.Cipher))
        {
            var platform = new Platform("LoopTube", ["127.0.0.1"], RequestChannel.WebForm, null, "{links}", "{links}", TestLinkServer.RemovedMarker);
            db.Platforms.Add(platform);
            await db.SaveChangesAsync();
            ContentItem Requested(string path)
            {
                var url = server.Url(path);
                var item = new ContentItem(null, url, TestSecrets.Fingerprints.ContentUrl(url), platform.Id, ContentKind.Video, ContentFinder.Companion, false, Start.AddDays(-2));
                item.RequestDeletion(platform.Id, RequestChannel.WebForm, "ko", null, Start.AddDays(-1));
                db.ContentItems.Add(item);
                return item;
            }
            var goneItem = Requested("/gone410");
            var upItem = Requested("/up/scheduled");
            await db.SaveChangesAsync();
            (gone, up) = (goneItem.Id, upItem.Id);
        }

        // Act 1: starting the portal starts the job, which queues both links at once; the workers check them.
        var firstPass = portal.LinkChecksAsync(2);
        _ = portal.Services;
        await firstPass.WaitAsync(PassTimeout);

        // Assert 1
        var afterFirst = await ItemsAsync(portal, gone, up);
        afterFirst[gone].Status.ShouldBe(ContentStatus.VerifiedGone);
        afterFirst[gone].LastCheckOutcome.ShouldBe(RecheckOutcome.Gone);
        afterFirst[gone].LastCheckedAt.ShouldBe(Start);
        afterFirst[gone].Requests.Single().Outcome.ShouldBe(ContentStatus.Deleted);
        afterFirst[gone].Requests.Single().VerifiedGoneAt.ShouldBe(Start);
        afterFirst[up].Status.ShouldBe(ContentStatus.Requested);
        afterFirst[up].LastCheckOutcome.ShouldBe(RecheckOutcome.StillUp);
        server.Hits("/up/scheduled").ShouldBe(1);

        // Act 2: most of an interval passes: no new pass is due.
        var secondPass = portal.LinkChecksAsync(2);
        _clock.Advance(TimeSpan.FromMinutes(59));
        secondPass.IsCompleted.ShouldBeFalse();
        server.Hits("/up/scheduled").ShouldBe(1);

        // Act 3: the interval is complete.
        _clock.Advance(TimeSpan.FromMinutes(1));
        await secondPass.WaitAsync(PassTimeout);

        // Assert 3: both links were checked again, at the fake clock's time.
        var afterSecond = await ItemsAsync(portal, gone, up);
        afterSecond[up].LastCheckedAt.ShouldBe(Start.AddHours(1));
        afterSecond[up].LastCheckOutcome.ShouldBe(RecheckOutcome.StillUp);
        afterSecond[gone].LastCheckedAt.ShouldBe(Start.AddHours(1));
        afterSecond[gone].Status.ShouldBe(ContentStatus.VerifiedGone);
        server.Hits("/up/scheduled").ShouldBe(2);
        server.Hits("/gone410").ShouldBe(2);
        (await portal.WorkQueueCountsAsync()).ShouldBe(new QueueCounts(0, 0, 0));
    }

    private static async Task<Dictionary<long, ContentItem>> ItemsAsync(PortalFactory portal, params long[] ids)
    {
        await using var db = PortalDatabaseTemplate.NewContext(portal.ConnectionString, TestSecrets.Cipher);
        return await db.ContentItems.AsNoTracking().Include(c => c.Requests).Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
    }

    /// <summary>The portal with the re-check job on, loopback allowed, a fake clock, and the workers' completion signal.</summary>
    private sealed class RecheckingPortal(FakeTimeProvider clock) : PortalFactory
    {
        private readonly WorkCompletions _completions = new();

        /// <summary>Completes when the workers have settled <paramref name="count"/> more link checks from now on.</summary>
        public Task<WorkCompleted> LinkChecksAsync(int count) =>
            _completions.WaitAsync(c => c.Kind == MonitoringWorkKind.LinkCheck && c.Result == StepResult.Done && c.Settled, count, CancellationToken.None);

        public async Task<QueueCounts> WorkQueueCountsAsync()
        {
            await using var db = PortalDatabaseTemplate.NewContext(ConnectionString, TestSecrets.Cipher);
            return await new WorkQueue(db, clock, QueueSettings.Default).CountsAsync(CancellationToken.None);
        }

        protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?>
        {
            ["Portal:Recheck:Enabled"] = "true",
            ["Portal:Recheck:AllowPrivateAddresses"] = "true",
            ["Portal:Recheck:Interval"] = "01:00:00",
            ["Portal:Recheck:RecheckAfter"] = "01:00:00",
            ["Portal:Recheck:ConnectTimeout"] = "00:00:20",
            ["Portal:Recheck:TotalTimeout"] = "00:00:20",
            ["Portal:Recheck:HostMinimumDelay"] = "00:00:00",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.AddSingleton(_completions);
            });
        }
    }
}
