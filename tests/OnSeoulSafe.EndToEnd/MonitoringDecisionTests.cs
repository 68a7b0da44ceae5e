using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Fetching;
using OnSeoulSafe.Cases.Matching;
using OnSeoulSafe.Cases.Monitoring;
using OnSeoulSafe.Cases.Notices;
using OnSeoulSafe.EndToEnd.Support;
using OnSeoulSafe.Hashing.Video;
using OnSeoulSafe.SimulatedPlatforms;

namespace OnSeoulSafe.EndToEnd;

/// <summary>
/// Monitoring finds and people decide, in a real browser: a victim hashes a picture on /report and allows automatic
/// requests; monitoring (run directly on the test clock) finds a resized, recompressed copy on a simulated board on
/// 127.0.0.1; the copy is requested and /status shows it found and requested with dates. An adult's copy without
/// that consent waits for review; a minor's is requested without anyone asking.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class MonitoringDecisionTests(PortalServer portal)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Files a report with the picture as evidence (hashed in the browser); optionally a minor, optionally allowing automatic requests.</summary>
    private static async Task<(string Reference, string Code)> ReportAsync(IPage page, byte[] picture, bool minor, bool allowAutomatic)
    {
        await page.GotoAsync("/report");
        await page.Locator("#Input_CrimeTypes_DistributionWithoutConsent").CheckAsync();
        await page.Locator("#Input_Narrative").FillAsync(Intake.Narrative);
        await page.Locator("[data-evidence-file]").SetInputFilesAsync(new FilePayload { Name = "photo.jpg", MimeType = "image/jpeg", Buffer = picture });
        await page.Locator("input[type=hidden][name='Input.Evidence[0].Pdq']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await NextAsync(page, 2);
        foreach (var question in new[] { "SelfHarmThoughts", "OngoingThreats", "OffenderKnowsAddress" })
        {
            await page.Locator($"#Input_{question}_no").CheckAsync();
        }
        await page.Locator(minor ? "#Input_UnderNineteen_yes" : "#Input_UnderNineteen_no").CheckAsync();
        await NextAsync(page, 3);
        await page.Locator("#Input_Consents_Deletion").CheckAsync();
        if (allowAutomatic) await page.Locator("#Input_AutomaticRequests").CheckAsync();
        await NextAsync(page, 4);
        await page.Locator("button[formaction*='handler=Submit']").ClickAsync();
        await page.Locator("#case-reference").WaitForAsync();
        return ((await page.Locator("#case-reference").InnerTextAsync()).Trim(), (await page.Locator("#access-code").InnerTextAsync()).Trim());
    }

    private static async Task NextAsync(IPage page, int step)
    {
        await page.Locator("button[formaction*='handler=Next']").ClickAsync();
        await page.Locator($"input[name=Step][value='{step}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
    }

    /// <summary>A board with its platform and monitoring source on 127.0.0.1; its posts show pictures <paramref name="firstPicture"/> onwards.</summary>
    /// <remarks>With <paramref name="notices"/>, the portal sends the platform's notices to the board's HTTP endpoint (otherwise a person sends them).</remarks>
    private async Task<(PlatformSimulation Platforms, int PlatformId, int SourceId)> BoardAsync(string name, int firstPicture, int posts, bool notices = false)
    {
        var platforms = await PlatformSimulation.StartAsync(new SimulatedPlatformsSettings([new BoardSettings(name, Posts: posts, FirstPicture: firstPicture)]), portal.Clock);
        var board = platforms[name];
        var (platformId, sourceId) = await portal.WithDbAsync(async db =>
        {
            var platform = new Platform(name, ["127.0.0.1"], RequestChannel.WebForm, board.NoticeUrl, "{links}", "{links}");
            if (notices) platform.ConfigureNotices(NoticeDelivery.HttpEndpoint, board.NoticeUrl, NoticeBodyFormat.Json, null, "ko", TimeSpan.Zero, TimeSpan.FromHours(24));
            db.Platforms.Add(platform);
            await db.SaveChangesAsync();
            var source = new MonitoringSource(name, board.Url("/"), platform.Id, 1, TimeSpan.FromHours(1), 2, 10, portal.Clock.GetUtcNow());
            db.MonitoringSources.Add(source);
            await db.SaveChangesAsync();
            return (platform.Id, source.Id);
        });
        return (platforms, platformId, sourceId);
    }

    /// <summary>Waits until this portal's matching index holds every perceptual hash of the case (it follows the bank by LISTEN/NOTIFY).</summary>
    private async Task WaitForIndexAsync(string reference)
    {
        var hashes = await portal.WithDbAsync(db => db.HashBankEntries.Where(e => e.Kind == HashKind.PdqImage && db.Cases.Any(c => c.Id == e.CaseId && c.Reference == reference))
            .Select(e => e.Hash).ToListAsync());
        hashes.ShouldNotBeEmpty();
        var index = portal.Services.GetRequiredService<HashBankIndex>();
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (hashes.All(h => index.Query([OnSeoulSafe.Hashing.PdqHash.FromBytes(h)], 0).Count > 0)) reached.TrySetResult();
        }
        index.Changed += Check;
        try
        {
            Check();
            await reached.Task.WaitAsync(Patience);
        }
        finally
        {
            index.Changed -= Check;
        }
    }

    /// <summary>One crawl of the due sources, run directly with the portal's own services; the clock moves past the hosts' politeness delays.</summary>
    private async Task CrawlAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<PortalDbContext>();
        var options = Microsoft.Extensions.Options.Options.Create(new MonitoringOptions { Enabled = true, AllowPrivateAddresses = true, LoopbackOnly = true, MaxAttempts = 1 });
        using var fetcher = new GuardedFetcher(TimeSpan.FromSeconds(10), allowPrivateAddresses: true, loopbackOnly: true);
        var crawl = new MonitoringCrawl(db, new WorkQueue(db, portal.Clock, options.Value.Queue), fetcher, new PerceptualFingerprinter(VideoLimits.Default),
            new HashBankMatcher(db, services.GetRequiredService<PerceptualMatches>()),
            new FoundCopies(db, services.GetRequiredService<ContentLedger>(), portal.Clock, options), portal.Clock, options, NullLogger<MonitoringCrawl>.Instance);
        await crawl.ScheduleDueSourcesAsync(default);
        for (var idle = 0; idle < 50;)
        {
            if (await crawl.RunOneAsync(default))
            {
                idle = 0;
                continue;
            }
            if ((await new WorkQueue(db, portal.Clock, QueueSettings.Default).CountsAsync(default)) is { Waiting: 0, Leased: 0 }) break;
            portal.Clock.Advance(TimeSpan.FromSeconds(1));
            idle++;
        }
    }

    /// <summary>The portal's notice sender works its outbox until nothing is due; returns how many notices it handled.</summary>
    private async Task<int> SendNoticesAsync()
    {
        var options = new NoticeOptions { Enabled = true, AllowPrivateAddresses = true, SendTimeout = TimeSpan.FromSeconds(10) };
        using var http = new HttpNoticeChannel(options);
        var channels = new NoticeChannels(new SmtpNoticeChannel(options), http);
        var handled = 0;
        while (true)
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var sender = new NoticeSender(scope.ServiceProvider.GetRequiredService<PortalDbContext>(), channels, options, portal.Clock, NullLogger<NoticeSender>.Instance);
            if (!await sender.RunOneAsync(default)) return handled;
            handled++;
        }
    }

    /// <summary>One pass of the re-check job with the portal's own services, reaching loopback only (demo links are refused unasked).</summary>
    private async Task<RecheckSummary> RecheckAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var options = new RecheckOptions { Enabled = true, AllowPrivateAddresses = true, LoopbackOnly = true, RecheckAfter = TimeSpan.Zero, TotalTimeout = TimeSpan.FromSeconds(10) };
        using var probe = new LinkProbe(options);
        var runner = new RecheckRunner(services.GetRequiredService<PortalDbContext>(), probe, services.GetRequiredService<EvidenceHashes>(), services.GetRequiredService<ContentLedger>(),
            services.GetRequiredService<PerceptualMatches>(), portal.Clock, Microsoft.Extensions.Options.Options.Create(options), NullLogger<RecheckRunner>.Instance);
        return await runner.RunOnceAsync(default);
    }

    private static string Day(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task PauseAsync(int sourceId) => await portal.WithDbAsync(async db =>
    {
        var source = await db.MonitoringSources.SingleAsync(s => s.Id == sourceId);
        source.Pause();
        return await db.SaveChangesAsync();
    });

    private Task<List<ContentItem>> ItemsAsync(string reference) =>
        portal.WithDbAsync(db => db.ContentItems.AsNoTracking().Include(i => i.Requests).Where(i => db.Cases.Any(c => c.Id == i.CaseId && c.Reference == reference)).ToListAsync());

    [Fact]
    public async Task A_victim_who_allows_automatic_requests_sees_a_changed_copy_found_and_requested_with_dates()
    {
        // Arrange: the victim holds the original of demo picture 30; the board shows changed copies of it.
        var (platforms, platformId, sourceId) = await BoardAsync("e2e-lantern", firstPicture: 30, posts: 1);
        await using var _ = platforms;
        try
        {
            var page = await portal.NewPageAsync("en-US");
            var (reference, code) = await ReportAsync(page, platforms.Picture(30).Original, minor: false, allowAutomatic: true);
            await WaitForIndexAsync(reference);

            // Act
            await CrawlAsync();
            await Intake.OpenStatusAsync(page, reference, code);

            // Assert: the resized copy is on the ledger, found by monitoring and requested without anyone asking.
            var cover = platforms["e2e-lantern"].Url("/media/0/cover.jpg");
            var items = await ItemsAsync(reference);
            var found = items.Single(i => i.Url == cover);
            found.FoundBy.ShouldBe(ContentFinder.Monitoring);
            found.Status.ShouldBe(ContentStatus.Requested);
            found.Requests.ShouldHaveSingleItem().PlatformId.ShouldBe(platformId);
            items.ShouldContain(i => i.Url == platforms["e2e-lantern"].Url("/media/0/small.jpg") && i.Status == ContentStatus.Requested);
            var entry = page.Locator("#deletion-progress li", new PageLocatorOptions { HasText = cover });
            var shown = await entry.InnerTextAsync();
            shown.ShouldContain("Found by our monitoring");
            shown.ShouldContain("deletion requested");
            shown.ShouldContain("We asked the site to delete it and are waiting for its answer.");
            shown.ShouldContain(found.FirstSeenAt.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            await PauseAsync(sourceId);
        }
    }

    [Fact]
    public async Task The_whole_loop_a_changed_copy_found_requested_by_notice_removed_by_the_board_and_verified_gone_shows_on_status_with_dates()
    {
        // Arrange: the victim holds the original of demo picture 33; the board removes what a notice names after its delay.
        var (platforms, platformId, sourceId) = await BoardAsync("e2e-beacon", firstPicture: 33, posts: 1, notices: true);
        await using var _ = platforms;
        var board = platforms["e2e-beacon"];
        try
        {
            var page = await portal.NewPageAsync("en-US");
            var (reference, code) = await ReportAsync(page, platforms.Picture(33).Original, minor: false, allowAutomatic: true);
            await WaitForIndexAsync(reference);

            // Act: monitoring finds the copies and requests them; the portal sends the notices; a day later the re-check runs.
            await CrawlAsync();
            var foundOn = portal.Clock.GetUtcNow();
            var sent = await SendNoticesAsync();
            var removedBefore = board.IsRemoved("/media/0/cover.jpg", portal.Clock.GetUtcNow());
            portal.Clock.Advance(TimeSpan.FromDays(1));
            var checkedOn = portal.Clock.GetUtcNow();
            var check = await RecheckAsync();
            await Intake.OpenStatusAsync(page, reference, code);

            // Assert: the board got a notice naming the resized copy and the case's reference, and answered with a ticket.
            var cover = board.Url("/media/0/cover.jpg");
            sent.ShouldBeGreaterThan(0);
            var notice = platforms.Notices.Where(n => n.Addresses.Contains(cover)).ShouldHaveSingleItem();
            notice.Reference.ShouldBe(reference);
            notice.Ticket.ShouldNotBeNull();
            notice.Body.ShouldNotContain(Intake.Narrative);
            removedBefore.ShouldBeFalse("the board removes only after its delay");
            board.IsRemoved("/media/0/cover.jpg", checkedOn).ShouldBeTrue();
            check.Gone.ShouldBeGreaterThan(0);
            var item = (await ItemsAsync(reference)).Single(i => i.Url == cover);
            item.FoundBy.ShouldBe(ContentFinder.Monitoring);
            item.Status.ShouldBe(ContentStatus.VerifiedGone);
            var request = item.Requests.ShouldHaveSingleItem();
            request.PlatformId.ShouldBe(platformId);
            request.Outcome.ShouldBe(ContentStatus.Deleted);
            request.VerifiedGoneAt.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(checkedOn);
            var sentEvent = await portal.WithDbAsync(db => db.DeletionNotices.AsNoTracking().SingleAsync(n => n.ContentItemId == item.Id));
            sentEvent.State.ShouldBe(NoticeState.Answered);
            sentEvent.PlatformReference.ShouldBe(notice.Ticket);

            // The victim reads each step with its date: found and requested on the first day, sent, deleted and verified the next.
            var shown = await page.Locator("#deletion-progress li", new PageLocatorOptions { HasText = cover }).InnerTextAsync();
            shown.ShouldContain("Verified gone");
            shown.ShouldContain($"Found by our monitoring {Day(foundOn)}");
            shown.ShouldContain($"deletion requested {Day(foundOn)}");
            shown.ShouldContain($"We sent the deletion request to the site on {Day(foundOn)}.");
            shown.ShouldContain($"deleted {Day(checkedOn)}");
            shown.ShouldContain($"verified gone {Day(checkedOn)}");
            Day(checkedOn).ShouldNotBe(Day(foundOn));
        }
        finally
        {
            await PauseAsync(sourceId);
        }
    }

    [Fact]
    public async Task An_adults_copy_without_consent_waits_for_the_companion_and_a_minors_is_requested_without_anyone_asking()
    {
        // Arrange: an adult holds picture 31 and does not allow automatic requests; a minor holds picture 32 and does not either.
        var (platforms, _, sourceId) = await BoardAsync("e2e-harbour", firstPicture: 31, posts: 2);
        await using var _ = platforms;
        try
        {
            var adult = await ReportAsync(await portal.NewPageAsync("ko-KR"), platforms.Picture(31).Original, minor: false, allowAutomatic: false);
            var minor = await ReportAsync(await portal.NewPageAsync("ko-KR"), platforms.Picture(32).Original, minor: true, allowAutomatic: false);
            await WaitForIndexAsync(adult.Reference);
            await WaitForIndexAsync(minor.Reference);

            // Act
            await CrawlAsync();

            // Assert
            var adults = await ItemsAsync(adult.Reference);
            adults.Where(i => i.FoundBy == ContentFinder.Monitoring).ShouldNotBeEmpty();
            adults.Where(i => i.FoundBy == ContentFinder.Monitoring).ShouldAllBe(i => i.Status == ContentStatus.Found && i.Requests.Count == 0);
            var waiting = await portal.WithDbAsync(db => db.MonitoringMatches.AsNoTracking().Where(m => db.Cases.Any(c => c.Id == m.CaseId && c.Reference == adult.Reference)).ToListAsync());
            waiting.ShouldNotBeEmpty();
            waiting.ShouldAllBe(m => m.Decision == MatchDecision.Waiting && m.WaitReason == MatchWaitReason.NoConsent);
            var minors = await ItemsAsync(minor.Reference);
            minors.Where(i => i.FoundBy == ContentFinder.Monitoring).ShouldNotBeEmpty();
            minors.Where(i => i.FoundBy == ContentFinder.Monitoring).ShouldAllBe(i => i.Status == ContentStatus.Requested);
        }
        finally
        {
            await PauseAsync(sourceId);
        }
    }
}
