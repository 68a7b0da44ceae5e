using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Monitoring;
using OnSeoulSafe.SimulatedPlatforms;
using OnSeoulSafe.Web.Tests.Resilience;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Monitoring;

/// <summary>Monitoring inside the portal: its background service, switched on by configuration, finds a victim's file by itself.</summary>
public sealed class MonitoringJobTests(MonitoringJobTests.MonitoringPortal portal) : IClassFixture<MonitoringJobTests.MonitoringPortal>
{
    public sealed class MonitoringPortal : PortalFactory
    {
        public PlatformSimulation Platforms { get; private set; } = null!;

        protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?>
        {
            ["Portal:Monitoring:Enabled"] = "true",
            ["Portal:Monitoring:AllowPrivateAddresses"] = "true",
            ["Portal:Monitoring:PollInterval"] = "00:00:01",
            // A slow site holds its unit this long: far longer than any test here waits.
            ["Portal:Monitoring:TotalTimeout"] = "00:02:00",
        };

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Platforms = await PlatformSimulation.StartAsync(new SimulatedPlatformsSettings(
            [
                new BoardSettings("inportal", Posts: 2, FirstPicture: 20),
            ]));
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Platforms.DisposeAsync();
        }
    }

    /// <summary>An open case holding the SHA-256 of a board's picture, and a source for that board.</summary>
    internal static async Task<long> CaseAndSourceAsync(PortalDbContext db, PlatformSimulation.Board board, DemoPicture picture)
    {
        var now = DateTimeOffset.UtcNow;
        var @case = await TestCases.OpenAsync(db, now);
        db.EvidenceHashes.Add(new EvidenceHash(@case.Id, Convert.ToHexStringLower(SHA256.HashData(picture.Original)), ContentKind.Image, picture.Original.Length, now));
        db.MonitoringSources.Add(new MonitoringSource(board.Settings.Name, board.Url("/"), null, 1, TimeSpan.FromHours(1), 2, 10, now));
        await db.SaveChangesAsync();
        return @case.Id;
    }

    internal static Task<bool> FoundByMonitoringAsync(PortalFactory portal, long caseId) =>
        portal.WithDbAsync(db => db.ContentItems.AnyAsync(c => c.CaseId == caseId && c.FoundBy == ContentFinder.Monitoring));

    [Fact]
    public async Task Switched_on_the_portal_crawls_a_source_by_itself_and_puts_the_copy_on_the_case_ledger()
    {
        // Arrange: the portal's workers tell each unit of work they settle; wait for the first match from now on.
        var board = portal.Platforms["inportal"];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var matched = portal.Services.GetRequiredService<WorkCompletions>()
            .WaitAsync(c => c.Kind == MonitoringWorkKind.Media && c.Result == StepResult.Done && c.Matches > 0, timeout.Token);

        // Act: a source appears; the next poll crawls it.
        var caseId = await portal.WithDbAsync(db => CaseAndSourceAsync(db, board, portal.Platforms.Picture(20)));
        var completed = await matched;

        // Assert
        completed.Settled.ShouldBeTrue();
        (await FoundByMonitoringAsync(portal, caseId)).ShouldBeTrue();
        var item = await portal.WithDbAsync(db => db.ContentItems.AsNoTracking().SingleAsync(c => c.CaseId == caseId));
        item.Url.ShouldBe(board.Url("/media/0/photo.jpg"));
        portal.Platforms.Hits(board, "/post/1").ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_slow_site_holding_a_worker_does_not_hold_back_the_other_hosts_whose_turn_comes()
    {
        // Arrange: a hostile board whose /drip answers a byte every 200 ms until the two-minute limit, and a board of
        // 20 text posts; both at 10 requests a second. The drip is the hostile board's fourth page, taken while the
        // other board still has most of its posts to go.
        await using var platforms = await PlatformSimulation.StartAsync(new SimulatedPlatformsSettings(
        [
            new BoardSettings("dripping", Posts: 1, FirstPicture: 21, Hostile: true),
            new BoardSettings("plaintext", Posts: 20) { Media = false },
        ]));
        var slow = platforms["dripping"];
        var quick = platforms["plaintext"];
        var quickHost = MonitoringSource.HostKeyOf(quick.Url("/"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var allPosts = portal.Services.GetRequiredService<WorkCompletions>()
            .WaitAsync(c => c.Kind == MonitoringWorkKind.Page && c.HostKey == quickHost && c.Result == StepResult.Done, 21, timeout.Token);

        // Act
        await portal.WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            db.MonitoringSources.Add(new MonitoringSource("dripping", slow.Url("/"), null, 1, TimeSpan.FromHours(1), 2, 10, now));
            db.MonitoringSources.Add(new MonitoringSource("plaintext", quick.Url("/"), null, 1, TimeSpan.FromHours(1), 2, 10, now));
            return await db.SaveChangesAsync();
        });
        // Before the fix the worker waited for the running drip (two minutes) once nothing else was due at that instant.
        await allPosts;

        // Assert: every post read once, and the drip still held open by its worker meanwhile.
        Enumerable.Range(0, 20).ShouldAllBe(i => platforms.Hits(quick, $"/post/{i}") == 1);
        platforms.Hits(slow, "/drip").ShouldBe(1);
        platforms.MostAtOnce(slow).ShouldBeLessThanOrEqualTo(2);
    }
}

/// <summary>
/// Monitoring as its own process (<c>OnSeoulSafe.Web.dll --monitor</c>) on the portal's database; the portal here has
/// monitoring off, so only that process can have found the copy.
/// </summary>
public sealed class MonitoringProcessTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private PlatformSimulation _platforms = null!;

    public async Task InitializeAsync() =>
        _platforms = await PlatformSimulation.StartAsync(new SimulatedPlatformsSettings([new BoardSettings("ownprocess", Posts: 2, FirstPicture: 30)]));

    public async Task DisposeAsync() => await _platforms.DisposeAsync();

    [Fact]
    public async Task The_crawl_runs_as_its_own_process_on_the_same_database()
    {
        var board = _platforms["ownprocess"];
        var caseId = await portal.WithDbAsync(db => MonitoringJobTests.CaseAndSourceAsync(db, board, _platforms.Picture(30)));
        var dll = SeveralProcessesTests.TwoProcesses.PortalDll();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--monitor");
        foreach (var (key, value) in TestSecrets.Configuration(portal.ConnectionString)) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["Portal__Monitoring__AllowPrivateAddresses"] = "true";
        start.Environment["Portal__Monitoring__PollInterval"] = "00:00:01";
        using var process = Process.Start(start)!;
        // The process logs each unit of work it settles (kind, host and outcome word): a match is "Done matched".
        var matched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("Done matched", StringComparison.Ordinal) == true) matched.TrySetResult();
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await matched.Task.WaitAsync(TimeSpan.FromSeconds(120));

            (await MonitoringJobTests.FoundByMonitoringAsync(portal, caseId)).ShouldBeTrue();
            process.HasExited.ShouldBeFalse();
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
