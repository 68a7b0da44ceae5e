using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Fetching;
using OnSeoulSafe.Cases.Matching;
using OnSeoulSafe.Cases.Monitoring;
using OnSeoulSafe.Hashing;
using OnSeoulSafe.Hashing.Video;
using OnSeoulSafe.SimulatedPlatforms;
using OnSeoulSafe.Web.Tests.Deletion;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Monitoring;

/// <summary>
/// The crawl hashes what it finds (PDQ with dihedrals, video frames, SHA-256), matches changed copies through the
/// hash bank's index, and decides who acts: requested at once for a minor or a victim who allowed it, otherwise
/// waiting for the companion. Boards on 127.0.0.1 only.
/// </summary>
public sealed class MonitoringMatchTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 6, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private PlatformSimulation _platforms = null!;
    private PortalDbContext _db = null!;
    private HashBankIndex _index = null!;
    // In lists: the test class owns them through its async lifetime, not as disposable fields.
    private readonly List<HashBankIndexSync> _syncs = [];
    private readonly List<GuardedFetcher> _fetchers = [];
    private Platform _platform = null!;

    public async Task InitializeAsync()
    {
        _platforms = await PlatformSimulation.StartAsync(new SimulatedPlatformsSettings([new BoardSettings("lantern", Posts: 3, FirstPicture: 2)]), _clock);
        var owner = await PortalDatabaseTemplate.CreateDatabaseAsync("monmatch");
        _db = PortalDatabaseTemplate.NewContext(owner, TestSecrets.Cipher);
        _index = new HashBankIndex();
        var sync = new HashBankIndexSync(_index, new HashBankIndexSettings(PortalDatabaseTemplate.PortalConnectionString(owner)), TimeProvider.System, NullLogger<HashBankIndexSync>.Instance);
        _syncs.Add(sync);
        await sync.StartAsync(CancellationToken.None);
        await PerceptualRecheckTests.WaitForAsync(_index, () => _index.IsLoaded);
        _fetchers.Add(new GuardedFetcher(TimeSpan.FromSeconds(10), allowPrivateAddresses: true));
        _platform = new Platform("Lantern", ["127.0.0.1"], RequestChannel.WebForm, _platforms["lantern"].NoticeUrl, "{links}", "{links}");
        _db.Platforms.Add(_platform);
        await _db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var sync in _syncs)
        {
            await sync.StopAsync(CancellationToken.None);
            sync.Dispose();
        }
        foreach (var fetcher in _fetchers) fetcher.Dispose();
        await _db.DisposeAsync();
        await _platforms.DisposeAsync();
    }

    private static MonitoringOptions Options(int automaticMaxDistance = 31) => new()
    {
        Enabled = true,
        AllowPrivateAddresses = true,
        TotalTimeout = TimeSpan.FromSeconds(5),
        MaxAttempts = 1,
        AutomaticMaxDistance = automaticMaxDistance,
    };

    private MonitoringCrawl Crawl(MonitoringOptions options)
    {
        var settings = Microsoft.Extensions.Options.Options.Create(options);
        var ledger = new ContentLedger(_db, TestSecrets.Fingerprints, _clock);
        return new MonitoringCrawl(_db, new WorkQueue(_db, _clock, options.Queue), _fetchers[0], new PerceptualFingerprinter(VideoLimits.Default),
            new HashBankMatcher(_db, new PerceptualMatches(_db, _index)), new FoundCopies(_db, ledger, _clock, settings), _clock, settings, NullLogger<MonitoringCrawl>.Instance);
    }

    private async Task CrawlAsync(MonitoringOptions? options = null)
    {
        var crawl = Crawl(options ?? Options());
        await crawl.ScheduleDueSourcesAsync(default);
        for (var idle = 0; idle < 50;)
        {
            if (await crawl.RunOneAsync(default))
            {
                idle = 0;
                continue;
            }
            if ((await new WorkQueue(_db, _clock, QueueSettings.Default).CountsAsync(default)) is { Waiting: 0, Leased: 0 }) break;
            _clock.Advance(TimeSpan.FromSeconds(1));
            idle++;
        }
        _db.ChangeTracker.Clear();
    }

    private async Task SourceAsync()
    {
        _db.MonitoringSources.Add(new MonitoringSource("lantern", _platforms["lantern"].Url("/"), _platform.Id, 1, TimeSpan.FromHours(1), 2, 10, Start));
        await _db.SaveChangesAsync();
    }

    /// <summary>
    /// The victim hashed picture <paramref name="picture"/> on their device; only its PDQ is in the bank. The board
    /// shows pictures 2, 3 and 4, whose hashes are reliable (quality 65, 66, 80; some demo pictures are under 50 and
    /// could never match).
    /// </summary>
    private async Task<PdqImageHash> BankPictureAsync(long caseId, int picture)
    {
        var hash = PdqImage.Hash(_platforms.Picture(picture).Original);
        hash.Quality.ShouldBeGreaterThanOrEqualTo(50);
        var entry = new HashBankEntry(caseId, HashKind.PdqImage, hash.Hash.ToBytes(), hash.Quality, null, null, HashSupplier.Victim, Start);
        _db.HashBankEntries.Add(entry);
        await _db.SaveChangesAsync();
        await PerceptualRecheckTests.WaitForAsync(_index, () => PerceptualRecheckTests.Holds(_index, hash.Hash));
        return hash;
    }

    private async Task<Case> AllowingCaseAsync()
    {
        var @case = await TestCases.OpenAsync(_db, Start, deletionConsent: true);
        @case.SetAutomaticRequests(true, Start);
        await _db.SaveChangesAsync();
        return @case;
    }

    private Task<List<ContentItem>> ItemsAsync(long caseId) =>
        _db.ContentItems.AsNoTracking().Include(c => c.Requests).Include(c => c.History).Where(c => c.CaseId == caseId).OrderBy(c => c.Id).ToListAsync();

    private Task<List<MonitoringMatch>> MatchesAsync(long caseId) =>
        _db.MonitoringMatches.AsNoTracking().Where(m => m.CaseId == caseId).OrderBy(m => m.Id).ToListAsync();

    [Fact]
    public async Task Resized_and_recompressed_copies_match_by_pdq_and_are_requested_at_once_for_a_victim_who_allowed_it()
    {
        // Arrange: only the PDQ of picture 2 is known; the board serves changed copies of it in post 0.
        var victim = await AllowingCaseAsync();
        var bystander = await TestCases.OpenAsync(_db, Start, deletionConsent: true);
        var banked = await BankPictureAsync(victim.Id, 2);
        await SourceAsync();
        var lantern = _platforms["lantern"];

        // Act
        await CrawlAsync();

        // Assert
        var items = await ItemsAsync(victim.Id);
        var addresses = items.Select(i => i.Url).ToList();
        addresses.ShouldContain(lantern.Url("/media/0/cover.jpg"));
        addresses.ShouldContain(lantern.Url("/media/0/small.jpg"));
        addresses.ShouldAllBe(a => a.StartsWith(lantern.Url("/media/0/"), StringComparison.Ordinal));
        items.ShouldAllBe(i => i.FoundBy == ContentFinder.Monitoring && i.Status == ContentStatus.Requested && i.PerceptualHash != null && i.Sha256 != null);
        items.ShouldAllBe(i => i.Requests.Count == 1 && i.Requests[0].RequestedById == null && i.Requests[0].PlatformId == _platform.Id);
        var matches = await MatchesAsync(victim.Id);
        matches.Count.ShouldBe(items.Count);
        matches.ShouldAllBe(m => m.Decision == MatchDecision.RequestedAutomatically && m.Kind == HashKind.PdqImage && m.Distance <= 31 && m.Quality >= 50);
        matches.ShouldAllBe(m => m.MatchedHash == banked.Hash.ToString());
        var cover = items.Single(i => i.Url.EndsWith("/cover.jpg", StringComparison.Ordinal));
        cover.PerceptualHash!.ShouldNotBe(banked.Hash.ToString(), "a resized copy has a hash of its own, near the victim's");
        (await _db.ContentItems.AnyAsync(c => c.CaseId == bystander.Id)).ShouldBeFalse();
        (await _db.AccessLog.CountAsync(e => e.CaseId == victim.Id && e.ActorRole == MonitoringCrawl.ActorRole && e.What == "Monitoring/Found")).ShouldBe(items.Count);
    }

    [Fact]
    public async Task The_same_address_found_again_is_the_same_ledger_entry_and_a_copy_back_after_verified_deletion_is_a_reappearance_requested_again()
    {
        // Arrange
        var victim = await AllowingCaseAsync();
        await BankPictureAsync(victim.Id, 2);
        await SourceAsync();
        await CrawlAsync();
        var first = await ItemsAsync(victim.Id);
        var cover = first.Single(i => i.Url.EndsWith("/cover.jpg", StringComparison.Ordinal));
        var tracked = await _db.ContentItems.Include(c => c.Requests).SingleAsync(c => c.Id == cover.Id);
        tracked.ApplyRecheck(RecheckOutcome.Gone, null, Start.AddMinutes(30));
        await _db.SaveChangesAsync();
        _db.ChangeTracker.Clear();

        // Act: the next crawl an hour later finds every copy again.
        _clock.Advance(TimeSpan.FromHours(1));
        await CrawlAsync();

        // Assert
        var again = await ItemsAsync(victim.Id);
        again.Select(i => i.Id).ShouldBe(first.Select(i => i.Id));
        var back = again.Single(i => i.Id == cover.Id);
        back.History.ShouldContain(e => e.To == ContentStatus.Reappeared && e.Note == FoundCopies.ReappearedNote);
        back.Status.ShouldBe(ContentStatus.Requested);
        back.Requests.Count.ShouldBe(2);
        back.Requests.OrderBy(r => r.RequestedAt).First().ReappearedAt.ShouldNotBeNull();
        var matches = await MatchesAsync(victim.Id);
        matches.ShouldAllBe(m => m.TimesFound == 2);
        again.Where(i => i.Id != cover.Id).ShouldAllBe(i => i.Requests.Count == 1);
    }

    [Fact]
    public async Task An_adults_copy_without_consent_waits_for_review_while_a_minors_is_requested_without_anyone_asking()
    {
        // Arrange: the adult consented to deletion support but not to automatic requests.
        var adult = await TestCases.OpenAsync(_db, Start, deletionConsent: true);
        var minor = await TestCases.OpenAsync(_db, Start, minor: true);
        await BankPictureAsync(adult.Id, 2);
        await BankPictureAsync(minor.Id, 3);
        await SourceAsync();

        // Act
        await CrawlAsync();

        // Assert
        var adults = await ItemsAsync(adult.Id);
        adults.ShouldNotBeEmpty();
        adults.ShouldAllBe(i => i.Status == ContentStatus.Found && i.Requests.Count == 0);
        (await MatchesAsync(adult.Id)).ShouldAllBe(m => m.Decision == MatchDecision.Waiting && m.WaitReason == MatchWaitReason.NoConsent);
        var minors = await ItemsAsync(minor.Id);
        minors.ShouldNotBeEmpty();
        minors.ShouldAllBe(i => i.Status == ContentStatus.Requested && i.IsMinor);
        (await MatchesAsync(minor.Id)).ShouldAllBe(m => m.Decision == MatchDecision.RequestedAutomatically);
    }

    [Fact]
    public async Task A_match_beyond_the_centers_automatic_distance_never_acts_alone_even_for_a_minor()
    {
        // Arrange: the center acts alone only on exact copies (distance 0).
        var minor = await TestCases.OpenAsync(_db, Start, minor: true);
        await BankPictureAsync(minor.Id, 2);
        await SourceAsync();

        // Act
        await CrawlAsync(Options(automaticMaxDistance: 0));

        // Assert
        var matches = await MatchesAsync(minor.Id);
        var items = await ItemsAsync(minor.Id);
        var changed = matches.Where(m => m.Distance > 0).ToList();
        changed.ShouldNotBeEmpty();
        changed.ShouldAllBe(m => m.Decision == MatchDecision.Waiting && m.WaitReason == MatchWaitReason.AboveAutomaticDistance);
        items.Where(i => changed.Select(m => m.ContentItemId).Contains(i.Id)).ShouldAllBe(i => i.Status == ContentStatus.Found);
    }

    [Fact]
    public async Task A_recompressed_smaller_copy_of_a_victims_video_matches_by_its_frame_hashes()
    {
        // Arrange: a 4-second video made from two demo pictures; the victim's device hashed one frame a second.
        var folder = Directory.CreateTempSubdirectory("oss-video-");
        try
        {
            var original = Path.Combine(folder.FullName, "original.mp4");
            var copy = Path.Combine(folder.FullName, "copy.mp4");
            for (var i = 0; i < 2; i++) await File.WriteAllBytesAsync(Path.Combine(folder.FullName, $"p{i}.jpg"), _platforms.Picture(i + 2).Original);
            await FfmpegAsync("-y", "-v", "error", "-framerate", "0.5", "-i", Path.Combine(folder.FullName, "p%d.jpg"), "-r", "10", "-pix_fmt", "yuv420p", "-c:v", "libx264", original);
            await FfmpegAsync("-y", "-v", "error", "-i", original, "-vf", "scale=320:240", "-crf", "35", "-c:v", "libx264", copy);
            var victim = await TestCases.OpenAsync(_db, Start);
            var bystander = await TestCases.OpenAsync(_db, Start);
            var frames = await Vpdq.HashFileAsync(original);
            var group = Guid.NewGuid();
            foreach (var frame in frames.Frames)
            {
                _db.HashBankEntries.Add(new HashBankEntry(victim.Id, HashKind.PdqVideoFrame, frame.Hash.ToBytes(), frame.Quality, group, (int)frame.Seconds, HashSupplier.Victim, Start));
            }
            await _db.SaveChangesAsync();
            await PerceptualRecheckTests.WaitForAsync(_index, () => PerceptualRecheckTests.Holds(_index, frames.Frames[^1].Hash));

            // Act: the crawl's own hasher and matcher on the copy's bytes, its scratch file in a folder of this test's own.
            var scratch = folder.CreateSubdirectory("scratch");
            var fingerprint = await new PerceptualFingerprinter(VideoLimits.Default, scratchFolder: scratch.FullName).FingerprintAsync(await File.ReadAllBytesAsync(copy), MediaKind.Video, default);
            var matches = await new HashBankMatcher(_db, new PerceptualMatches(_db, _index)).MatchAsync(fingerprint, default);

            // Assert
            fingerprint.VideoFrames.ShouldNotBeNull().Count.ShouldBeGreaterThanOrEqualTo(3);
            var match = matches.ShouldHaveSingleItem();
            match.CaseId.ShouldBe(victim.Id);
            match.Kind.ShouldBe(HashKind.PdqVideoFrame);
            match.Distance.ShouldBeLessThanOrEqualTo(31);
            matches.ShouldNotContain(m => m.CaseId == bystander.Id);
            scratch.GetFileSystemInfos().ShouldBeEmpty("the video's bytes are not left on disk");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task FfmpegAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, errors);
    }
}
