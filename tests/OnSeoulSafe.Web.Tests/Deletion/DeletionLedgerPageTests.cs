using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Deletion;

/// <summary>The per-case deletion ledger, driven through its forms as the assigned companion.</summary>
public sealed class DeletionLedgerPageTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string Nickname = "Haneul";

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string LedgerUrl(string reference) => $"/cases/{reference.ToLowerInvariant()}/deletion";

    /// <summary>A case of a victim with a nickname and deletion consent, assigned to the demo companion, with the given links.</summary>
    private async Task<string> CaseAsync(bool nameInRequests = false, bool minor = false, params string[] links)
    {
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = portal.Clock.GetUtcNow();
        var @case = await TestCases.OpenAsync(db, now, minor: minor, nickname: Nickname, deletionConsent: true);
        var companion = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Companion.Email);
        var manager = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Manager.Email);
        @case.AssignTo(companion, manager.Id, now);
        if (nameInRequests) @case.SetNameInDeletionRequests(true, now);
        if (links.Length > 0)
        {
            await scope.ServiceProvider.GetRequiredService<ContentLedger>()
                .AddLinksAsync(@case, links.Select(l => new NewLink(l, ContentKind.Video)).ToList(), ContentFinder.Victim, null, CancellationToken.None);
        }
        await db.SaveChangesAsync();
        return @case.Reference;
    }

    private Task<List<ContentItem>> ItemsAsync(string reference) =>
        portal.WithDbAsync(async db =>
        {
            var id = await db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync();
            return await db.ContentItems.Include(i => i.History).Include(i => i.Requests).Where(i => i.CaseId == id).OrderBy(i => i.Id).ToListAsync();
        });

    private static Task<IHtmlDocument> RequestAsync(PortalBrowser browser, IHtmlDocument page, string scope, string language, params long[] selected) =>
        browser.SubmitAsync(page, [new("Lang", language), .. selected.Select(id => new KeyValuePair<string, string>("Selected", id.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
            formSelector: "#ledger-form", submitName: "scope", submitValue: scope, handler: "Request");

    [Fact]
    public async Task Links_added_without_repeats_say_nothing_about_links_kept_once_and_a_link_without_a_scheme_is_completed()
    {
        var reference = await CaseAsync(links: "https://video.example.com/watch/known-2");
        using var browser = await portal.SignInAsync(CompanionWorld.Companion, "ko");
        var page = await browser.GetAsync(LedgerUrl(reference));

        page = await browser.SubmitAsync(page, [new("Add.Links", "t.me/channel/5"), new("Add.Kind", "Post")], formSelector: "#add-form", handler: "Add");

        page.QuerySelector("#done")!.TextContent.Trim().ShouldBe("링크 1개를 추가했습니다.");
        (await ItemsAsync(reference)).Select(i => i.Url).ShouldContain("https://t.me/channel/5");
    }

    [Fact]
    public async Task Added_links_are_merged_as_duplicates_and_found_by_the_companion()
    {
        // Arrange
        var reference = await CaseAsync(links: "https://video.example.com/watch/known-1");
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var page = await browser.GetAsync(LedgerUrl(reference));

        // Act
        page = await browser.SubmitAsync(page,
            [new("Add.Links", "HTTPS://VIDEO.example.com/watch/known-1/\nhttps://video.example.com/watch/new-1\nhttps://video.example.com/watch/new-1#t=5\nhttps://unknown.example.org/post/9"), new("Add.Kind", "Image")],
            formSelector: "#add-form", handler: "Add");

        // Assert
        page.QuerySelector("#done")!.TextContent.ShouldContain("2 link(s) added, 1 already on the case");
        var items = await ItemsAsync(reference);
        items.Select(i => i.Url).ShouldBe(["https://video.example.com/watch/known-1", "https://video.example.com/watch/new-1", "https://unknown.example.org/post/9"]);
        items.Skip(1).ShouldAllBe(i => i.FoundBy == ContentFinder.Companion && i.Kind == ContentKind.Image);
        page.QuerySelectorAll("#ledger .ledger-row").Length.ShouldBe(3);
        page.QuerySelector("#choose-platform")!.TextContent.ShouldContain("https://unknown.example.org/post/9");
        var log = await portal.AccessLogAsync(reference);
        log.ShouldContain(e => e.Action == AccessAction.Edit && e.What.Contains("/Cases/Deletion", StringComparison.Ordinal));
        var caseId = await portal.CaseIdAsync(reference);
        (await portal.WithDbAsync(db => db.TimelineEvents.CountAsync(e => e.CaseId == caseId && e.Kind == TimelineEventKind.ContentAdded && e.StaffId != null))).ShouldBe(1);
    }

    [Fact]
    public async Task A_link_that_is_not_a_web_address_is_refused_next_to_the_field_and_nothing_typed_is_lost()
    {
        // Arrange
        var reference = await CaseAsync();
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var typed = "https://video.example.com/watch/ok\njavascript:alert(1)";

        // Act
        var page = await browser.SubmitAsync(await browser.GetAsync(LedgerUrl(reference)), [new("Add.Links", typed)], formSelector: "#add-form", handler: "Add");

        // Assert
        page.QuerySelector("[data-valmsg-for='Add.Links']")!.TextContent.ShouldContain("javascript:alert(1)");
        page.QuerySelector<IHtmlTextAreaElement>("#Add_Links")!.Value.ReplaceLineEndings("\n").Trim().ShouldBe(typed);
        (await ItemsAsync(reference)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Requesting_deletion_shows_the_text_with_reference_and_links_and_no_nickname_without_consent()
    {
        // Arrange
        var reference = await CaseAsync(links: ["https://video.example.com/watch/req-1", "https://video.example.com/watch/req-2", "https://social.example.net/p/req-3"]);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var page = await browser.GetAsync(LedgerUrl(reference));

        // Act
        page = await RequestAsync(browser, page, "all", "en");

        // Assert
        var texts = page.QuerySelectorAll<IHtmlTextAreaElement>("#sent-requests textarea").Select(t => t.Value).ToList();
        texts.Count.ShouldBe(2); // one per platform
        var tube = texts.Single(t => t.Contains("req-1", StringComparison.Ordinal));
        tube.ShouldContain(reference);
        tube.ShouldContain("We request removal of content concerning case");
        tube.ShouldContain("https://video.example.com/watch/req-2");
        texts.ShouldAllBe(t => !t.Contains(Nickname, StringComparison.Ordinal));
        var items = await ItemsAsync(reference);
        items.ShouldAllBe(i => i.Status == ContentStatus.Requested && i.Requests.Count == 1 && i.Requests[0].Language == "en");
        var caseId = await portal.CaseIdAsync(reference);
        (await portal.WithDbAsync(db => db.TimelineEvents.CountAsync(e => e.Kind == TimelineEventKind.DeletionRequested && e.CaseId == caseId))).ShouldBe(2);

        // Act: the same request text in Korean
        var korean = await browser.GetAsync(page.QuerySelector<IHtmlAnchorElement>("#text-ko")!.GetAttribute("href")!);

        // Assert
        korean.QuerySelectorAll<IHtmlTextAreaElement>("#sent-requests textarea").Select(t => t.Value)
            .ShouldContain(t => t.Contains("사례의 피해 영상 삭제를 요청합니다", StringComparison.Ordinal) && t.Contains(reference, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_victims_consent_the_request_text_carries_their_nickname()
    {
        // Arrange
        var reference = await CaseAsync(nameInRequests: true, links: "https://video.example.com/watch/named-1");
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);

        // Act
        var page = await RequestAsync(browser, await browser.GetAsync(LedgerUrl(reference)), "all", "en");

        // Assert
        page.QuerySelector<IHtmlTextAreaElement>("#sent-requests textarea")!.Value.ShouldContain(Nickname);
    }

    [Fact]
    public async Task Marking_deleted_moves_only_the_selected_links_and_the_history_is_dated()
    {
        // Arrange
        var reference = await CaseAsync(links: ["https://video.example.com/watch/del-1", "https://video.example.com/watch/del-2"]);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var page = await RequestAsync(browser, await browser.GetAsync(LedgerUrl(reference)), "all", "ko");
        var first = (await ItemsAsync(reference))[0].Id;

        // Act
        page = await browser.SubmitAsync(await browser.GetAsync(LedgerUrl(reference)), [new("Selected", first.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            formSelector: "#ledger-form", submitName: "outcome", submitValue: "Deleted", handler: "Outcome");

        // Assert
        var items = await ItemsAsync(reference);
        items.Select(i => i.Status).ShouldBe([ContentStatus.Deleted, ContentStatus.Requested]);
        items[0].Requests.Single().Outcome.ShouldBe(ContentStatus.Deleted);
        var row = page.QuerySelector($"#ledger tr[data-item='{first}']")!;
        var history = row.QuerySelectorAll(".item-history li").Select(li => li.TextContent.Trim()).ToList();
        history.Count.ShouldBe(3);
        history[0].ShouldContain("Found");
        history[1].ShouldContain("Deletion requested");
        history[2].ShouldContain("Deleted");
        history.ShouldAllBe(h => System.Text.RegularExpressions.Regex.IsMatch(h, @"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}"));
    }

    [Fact]
    public async Task Choosing_nothing_or_a_wrong_step_is_refused_with_a_message()
    {
        // Arrange
        var reference = await CaseAsync(links: "https://video.example.com/watch/wrong-1");
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var page = await browser.GetAsync(LedgerUrl(reference));
        var id = (await ItemsAsync(reference))[0].Id;

        // Act
        var none = await RequestAsync(browser, page, "selected", "en");
        var notRequested = await browser.SubmitAsync(page, [new("Selected", id.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            formSelector: "#ledger-form", submitName: "outcome", submitValue: "Refused", handler: "Outcome");

        // Assert
        none.FieldErrors().ShouldContain("Choose at least one link.");
        notRequested.FieldErrors().ShouldContain("Choose links with an open deletion request.");
        notRequested.QuerySelector<IHtmlInputElement>($"#select-{id}")!.IsChecked.ShouldBeTrue();
        (await ItemsAsync(reference)).Single().Status.ShouldBe(ContentStatus.Found);
    }

    [Fact]
    public async Task A_link_without_a_platform_gets_one_chosen_before_it_can_be_requested()
    {
        // Arrange
        var reference = await CaseAsync(links: "https://unknown.example.org/p/1");
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var page = await browser.GetAsync(LedgerUrl(reference));
        var refused = await RequestAsync(browser, page, "all", "en");
        var platformId = await portal.WithDbAsync(db => db.Platforms.Where(p => p.Name == "ExampleSocial").Select(p => p.Id).SingleAsync());

        // Act
        page = await browser.SubmitAsync(refused, [new("platformId", platformId.ToString(System.Globalization.CultureInfo.InvariantCulture))], formSelector: "form.platform-form");
        page = await RequestAsync(browser, page, "all", "en");

        // Assert
        refused.FieldErrors().ShouldContain(e => e.Contains("Choose a platform for 1 link(s) first", StringComparison.Ordinal));
        page.QuerySelector<IHtmlTextAreaElement>("#sent-requests textarea")!.Value.ShouldContain("https://unknown.example.org/p/1");
        (await ItemsAsync(reference)).Single().Status.ShouldBe(ContentStatus.Requested);
    }

    [Fact]
    public async Task A_file_reported_on_another_case_is_flagged_without_naming_that_case()
    {
        // Arrange
        var reference = await CaseAsync(links: "https://video.example.com/watch/hash-1");
        var other = await CaseAsync();
        var sha = new string('c', 64);
        await using (var scope = portal.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var hashes = scope.ServiceProvider.GetRequiredService<EvidenceHashes>();
            foreach (var r in new[] { reference, other })
            {
                await hashes.AddAsync(await db.Cases.Where(c => c.Reference == r).Select(c => c.Id).SingleAsync(), [new SubmittedHash { Sha256 = sha, Kind = ContentKind.Video }], HashSupplier.Victim, CancellationToken.None);
                await db.SaveChangesAsync();
            }
        }
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);

        // Act
        var page = await browser.GetAsync(LedgerUrl(reference));

        // Assert
        var flags = page.QuerySelector("#hash-matches")!.TextContent;
        flags.ShouldContain("This file was also reported on another case.");
        page.Text().ShouldNotContain(other);
    }

    [Fact]
    public async Task A_changed_copy_found_by_the_recheck_shows_the_matched_hash_its_kind_and_the_distance()
    {
        // Arrange: the re-check flagged the case with a perceptual match of one of its pictures.
        var reference = await CaseAsync(links: "https://video.example.com/watch/pdq-1");
        var matched = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
        await portal.WithDbAsync(async db =>
        {
            var caseId = await db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync();
            db.HashMatches.Add(new HashMatch(caseId, new string('d', 64), HashMatchSource.RecheckJob, HashKind.PdqImage, matched, 12, portal.Clock.GetUtcNow()));
            return await db.SaveChangesAsync();
        });
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);

        // Act
        var page = await browser.GetAsync(LedgerUrl(reference));

        // Assert
        var flags = page.QuerySelector("#hash-matches")!.TextContent;
        flags.ShouldContain("The re-check found a changed copy of this file online.");
        flags.ShouldContain("PDQ of a picture");
        flags.ShouldContain(matched[..16]);
        flags.ShouldContain("distance 12 of 256 bits");
        page.QuerySelectorAll("#hash-matches img").Length.ShouldBe(0);
    }

    [Fact]
    public async Task Links_are_inert_text_and_open_only_without_referrer()
    {
        // Arrange
        var reference = await CaseAsync(minor: true, links: "https://video.example.com/watch/inert-1");
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);

        // Act
        var page = await browser.GetAsync(LedgerUrl(reference));

        // Assert
        page.QuerySelectorAll("#ledger iframe, #ledger img, #ledger video, #ledger embed").Length.ShouldBe(0);
        page.QuerySelector("#ledger .inert-link")!.TextContent.ShouldBe("https://video.example.com/watch/inert-1");
        var link = page.QuerySelector("#ledger a[href='https://video.example.com/watch/inert-1']")!;
        link.GetAttribute("rel").ShouldBe("noreferrer noopener");
        link.GetAttribute("target").ShouldBe("_blank");
        page.QuerySelector("#ledger .badge-minor").ShouldNotBeNull();
        browser.LastResponse!.Headers.GetValues("Referrer-Policy").ShouldContain("no-referrer");
    }

    [Fact]
    public async Task Reappeared_links_put_their_case_first_on_my_cases_with_a_badge()
    {
        // Arrange: an emergency case (a minor's) and a normal one whose deleted link came back.
        var emergency = await CaseAsync(minor: true, links: "https://video.example.com/watch/calm-1");
        var reference = await CaseAsync(links: "https://video.example.com/watch/back-1");
        await using (var scope = portal.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var caseId = await db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync();
            var item = await db.ContentItems.Include(i => i.Requests).SingleAsync(i => i.CaseId == caseId);
            var now = portal.Clock.GetUtcNow();
            var platform = await db.Platforms.SingleAsync(p => p.Name == "ExampleTube");
            item.RequestDeletion(platform.Id, platform.Channel, "ko", null, now);
            item.RecordOutcome(ContentStatus.Deleted, null, now);
            item.ApplyRecheck(RecheckOutcome.StillUp, true, now);
            await db.SaveChangesAsync();
        }
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);

        // Act
        var cases = await browser.GetAsync("/cases");
        var ledger = await browser.GetAsync(LedgerUrl(reference));

        // Assert
        var rows = cases.QuerySelectorAll("#my-cases tbody tr").ToList();
        rows[0].TextContent.ShouldContain(reference);
        rows[0].QuerySelector(".reappeared-badge")!.TextContent.ShouldContain("1 link(s) reappeared");
        rows.Single(r => r.TextContent.Contains(emergency, StringComparison.Ordinal)).QuerySelector(".reappeared-badge").ShouldBeNull();
        ledger.QuerySelector("#reappeared-alert").ShouldNotBeNull();
        var row = ledger.QuerySelector("#ledger .ledger-row")!;
        row.GetAttribute("data-status").ShouldBe("Reappeared");
        row.TextContent.ShouldContain("hash matched");
    }

    [Fact]
    public async Task A_companion_not_assigned_to_the_case_is_refused()
    {
        // Arrange
        var reference = await CaseAsync(links: "https://video.example.com/watch/secret-1");
        using var browser = await portal.SignInAsync(CompanionWorld.OtherCompanion);

        // Act
        var response = await browser.GetRawAsync(LedgerUrl(reference));

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("secret-1");
    }

    [Theory]
    [InlineData("ko", "삭제 지원 대장", "요청문 언어")]
    [InlineData("en", "Deletion ledger", "Language of the request text")]
    public async Task The_ledger_reads_in_korean_and_english(string culture, string title, string languageLabel)
    {
        // Arrange
        var reference = await CaseAsync(links: "https://video.example.com/watch/lang-1");
        using var browser = await portal.SignInAsync(CompanionWorld.Companion, culture);

        // Act
        var page = await browser.GetAsync(LedgerUrl(reference));
        var file = await browser.GetAsync(CompanionWorld.FileUrl(reference));

        // Assert
        page.QuerySelector("h1")!.TextContent.ShouldContain(title);
        page.Text().ShouldContain(languageLabel);
        file.QuerySelector("#deletion-ledger-link")!.GetAttribute("href").ShouldBe(LedgerUrl(reference));
    }
}
