using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Fetching;
using OnSeoulSafe.Cases.Matching;
using OnSeoulSafe.Cases.Monitoring;
using OnSeoulSafe.SimulatedPlatforms;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Monitoring;

/// <summary>The crawl against simulated platforms on 127.0.0.1: nothing here leaves loopback.</summary>
public sealed class MonitoringCrawlTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 6, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private PlatformSimulation _platforms = null!;
    private PortalDbContext _db = null!;
    private GuardedFetcher? _fetcher;

    public async Task InitializeAsync()
    {
        _platforms = await PlatformSimulation.StartAsync(new SimulatedPlatformsSettings(
        [
            new BoardSettings("lantern", Posts: 3, FirstPicture: 0),
            new BoardSettings("tangle", Posts: 1, FirstPicture: 5, Hostile: true),
        ]), _clock);
        _db = PortalDatabaseTemplate.NewContext(await PortalDatabaseTemplate.CreateDatabaseAsync("crawl"), TestSecrets.Cipher);
    }

    public async Task DisposeAsync()
    {
        _fetcher?.Dispose();
        await _db.DisposeAsync();
        await _platforms.DisposeAsync();
    }

    private static MonitoringOptions Options(bool allowPrivate = true) => new()
    {
        Enabled = true,
        AllowPrivateAddresses = allowPrivate,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        TotalTimeout = TimeSpan.FromSeconds(3),
        MaxPageBytes = 1024 * 1024,
        MaxMediaBytes = 1024 * 1024,
        MaxRedirects = 3,
        MaxAttempts = 1,
    };

    private MonitoringCrawl Crawl(MonitoringOptions options)
    {
        _fetcher ??= new GuardedFetcher(options.ConnectTimeout, options.AllowPrivateAddresses);
        var settings = Microsoft.Extensions.Options.Options.Create(options);
        return new MonitoringCrawl(_db, new WorkQueue(_db, _clock, options.Queue), _fetcher, new Sha256Fingerprinter(), new HashBankMatcher(_db, new PerceptualMatches(_db, new HashBankIndex())),
            new FoundCopies(_db, new ContentLedger(_db, TestSecrets.Fingerprints, _clock), _clock, settings), _clock, settings, NullLogger<MonitoringCrawl>.Instance);
    }

    private async Task<MonitoringSource> SourceAsync(PlatformSimulation.Board board, int depth, int? platformId = null)
    {
        var source = new MonitoringSource(board.Settings.Name, board.Url("/"), platformId, depth, TimeSpan.FromHours(1), 2, 10, Start);
        _db.MonitoringSources.Add(source);
        await _db.SaveChangesAsync();
        return source;
    }

    /// <summary>Schedules due sources and works the queue dry, moving the clock when only the hosts' politeness delays are left.</summary>
    private async Task<int> CrawlAsync(MonitoringCrawl crawl)
    {
        await crawl.ScheduleDueSourcesAsync(default);
        var done = 0;
        for (var idle = 0; idle < 50;)
        {
            if (await crawl.RunOneAsync(default))
            {
                done++;
                idle = 0;
                continue;
            }
            if ((await new WorkQueue(_db, _clock, QueueSettings.Default).CountsAsync(default)) is { Waiting: 0, Leased: 0 }) break;
            _clock.Advance(TimeSpan.FromSeconds(1));
            idle++;
        }
        return done;
    }

    private Task<List<MonitoringWork>> ParkedAsync() => _db.MonitoringWork.AsNoTracking().Where(w => w.DeadAt != null).ToListAsync();

    [Fact]
    public async Task A_copy_of_a_victims_file_on_a_board_lands_on_the_case_ledger_found_by_monitoring_once()
    {
        // Arrange: the victim's file is known by its SHA-256; the board serves it unchanged in post 0.
        var lantern = _platforms["lantern"];
        var platform = new Platform("Lantern", ["127.0.0.1"], RequestChannel.WebForm, lantern.NoticeUrl, "{links}", "{links}");
        _db.Platforms.Add(platform);
        await _db.SaveChangesAsync();
        var victim = await TestCases.OpenAsync(_db, Start);
        var bystander = await TestCases.OpenAsync(_db, Start);
        var original = _platforms.Picture(0).Original;
        _db.EvidenceHashes.Add(new EvidenceHash(victim.Id, Convert.ToHexStringLower(SHA256.HashData(original)), ContentKind.Image, original.Length, Start));
        await _db.SaveChangesAsync();
        var source = await SourceAsync(lantern, depth: 1, platform.Id);
        var crawl = Crawl(Options());

        // Act: two crawls an interval apart.
        var firstCrawl = await CrawlAsync(crawl);
        _clock.Advance(TimeSpan.FromHours(1));
        var secondCrawl = await CrawlAsync(crawl);

        // Assert
        _db.ChangeTracker.Clear();
        var found = await _db.ContentItems.AsNoTracking().Where(c => c.CaseId == victim.Id).ToListAsync();
        var item = found.ShouldHaveSingleItem();
        item.Url.ShouldBe(lantern.Url("/media/0/photo.jpg"));
        item.FoundBy.ShouldBe(ContentFinder.Monitoring);
        item.Kind.ShouldBe(ContentKind.Image);
        item.PlatformId.ShouldBe(platform.Id);
        item.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(original)));
        (await _db.ContentItems.AnyAsync(c => c.CaseId == bystander.Id)).ShouldBeFalse();
        (await _db.AccessLog.CountAsync(e => e.CaseId == victim.Id && e.ActorRole == MonitoringCrawl.ActorRole)).ShouldBe(1);
        // 1 board page + 3 posts + 3 x 6 media, twice.
        firstCrawl.ShouldBe(22);
        secondCrawl.ShouldBe(22);
        _platforms.Hits(lantern, "/").ShouldBe(2);
        _platforms.Hits(lantern, "/post/2").ShouldBe(2);
        _platforms.Hits(lantern, "/media/2/clip.mp4").ShouldBe(2);
        (await ParkedAsync()).ShouldBeEmpty();
        (await _db.MonitoringSources.AsNoTracking().SingleAsync(s => s.Id == source.Id)).LastCrawlStartedAt!.Value.ShouldBeGreaterThanOrEqualTo(Start.AddHours(1));
    }

    [Fact]
    public async Task The_crawl_stays_within_the_depth_and_the_site_and_a_paused_source_is_not_fetched()
    {
        var lantern = _platforms["lantern"];
        var source = await SourceAsync(lantern, depth: 0);
        var crawl = Crawl(Options());

        var done = await CrawlAsync(crawl);
        source.Pause();
        await _db.SaveChangesAsync();
        _clock.Advance(TimeSpan.FromDays(1));
        var whilePaused = await CrawlAsync(crawl);

        done.ShouldBe(1);
        whilePaused.ShouldBe(0);
        _platforms.Hits(lantern, "/").ShouldBe(1);
        _platforms.Hits(lantern, "/post/0").ShouldBe(0);
        (await _db.MonitoringWork.AnyAsync(w => w.Address.Contains("example.com"))).ShouldBeFalse();
    }

    [Fact]
    public async Task Hostile_pages_are_each_bounded_and_parked_with_a_reason_and_the_crawl_goes_on()
    {
        var tangle = _platforms["tangle"];
        await SourceAsync(tangle, depth: 1);
        var crawl = Crawl(Options());

        await CrawlAsync(crawl);

        var parked = (await ParkedAsync()).ToDictionary(w => new Uri(w.Address).AbsolutePath, w => w.LastError);
        parked["/huge"].ShouldBe("too-large");
        parked["/redirect/0"].ShouldBe("too-many-redirects");
        parked["/drip"].ShouldBe("timeout");
        parked["/media/not-a-picture.jpg"].ShouldBe("not-media");
        parked["/media/endless.mp4"].ShouldBe("too-large");
        parked.Count.ShouldBe(5);
        _platforms.Hits(tangle, "/redirect/3").ShouldBe(1);
        _platforms.Hits(tangle, "/redirect/4").ShouldBe(0);
        // The ordinary post on the same board was still read and its media fetched.
        _platforms.Hits(tangle, "/post/0").ShouldBe(1);
        _platforms.Hits(tangle, "/media/0/full.png").ShouldBe(1);
        (await _db.MonitoringWork.CountAsync(w => w.DeadAt == null)).ShouldBe(0);
    }

    [Fact]
    public async Task Without_leave_to_reach_private_addresses_the_crawl_fetches_nothing_from_loopback()
    {
        var lantern = _platforms["lantern"];
        await SourceAsync(lantern, depth: 2);
        var crawl = Crawl(Options(allowPrivate: false));

        await CrawlAsync(crawl);

        _platforms.Hits(lantern, "/").ShouldBe(0);
        (await ParkedAsync()).ShouldHaveSingleItem().LastError.ShouldBe("private-address");
    }

    [Fact]
    public async Task In_a_demo_run_the_fetcher_reaches_nothing_but_loopback()
    {
        using var demo = new GuardedFetcher(TimeSpan.FromSeconds(5), allowPrivateAddresses: true, loopbackOnly: true);
        var limits = new FetchLimits(TimeSpan.FromSeconds(10), 1024, 0, "test");

        var elsewhere = await demo.GetAsync("http://192.0.2.1/", limits, default);
        var board = await demo.GetAsync(_platforms["lantern"].Url("/"), limits, default, readBody: false);

        elsewhere.Status.ShouldBe(FetchStatus.Refused);
        elsewhere.Reason.ShouldBe("not-loopback");
        board.Status.ShouldBe(FetchStatus.Served);
    }

    [Fact]
    public async Task A_copy_of_a_minors_file_enters_the_request_queue_at_once_without_anyone_asking()
    {
        var lantern = _platforms["lantern"];
        var minor = await TestCases.OpenAsync(_db, Start, minor: true);
        var adult = await TestCases.OpenAsync(_db, Start);
        foreach (var (caseId, picture) in new[] { (minor.Id, 0), (adult.Id, 2) })
        {
            var original = _platforms.Picture(picture).Original;
            _db.EvidenceHashes.Add(new EvidenceHash(caseId, Convert.ToHexStringLower(SHA256.HashData(original)), ContentKind.Image, original.Length, Start));
        }
        await _db.SaveChangesAsync();
        await SourceAsync(lantern, depth: 1);

        await CrawlAsync(Crawl(Options()));
        var queue = await new ContentLedger(_db, TestSecrets.Fingerprints, _clock).RequestQueueAsync(20, default);

        var queued = queue.ShouldHaveSingleItem();
        queued.CaseId.ShouldBe(minor.Id);
        queued.IsMinor.ShouldBeTrue();
        queued.Proactive.ShouldBeTrue();
        // The adult gave no consent to deletion support: the copy is on the ledger, waiting for the companion.
        (await _db.ContentItems.AsNoTracking().SingleAsync(c => c.CaseId == adult.Id)).Status.ShouldBe(ContentStatus.Found);
    }
}
