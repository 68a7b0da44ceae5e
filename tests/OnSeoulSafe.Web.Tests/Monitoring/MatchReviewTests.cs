using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Monitoring;

/// <summary>
/// Who decides on a copy monitoring found: the victim's choice on /report and /status/consents, and the companion's
/// review queue (/cases/match-review) where a waiting copy is requested or dismissed with a reason.
/// </summary>
public sealed class MatchReviewTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string ReviewUrl = "/cases/match-review";

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>An adult's case assigned to the companion, with copies found by monitoring waiting for review.</summary>
    private async Task<(string Reference, List<long> Matches)> WaitingAsync(params string[] links)
    {
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = portal.Clock.GetUtcNow();
        var @case = await TestCases.OpenAsync(db, now, deletionConsent: true);
        var companion = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Companion.Email);
        var manager = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Manager.Email);
        @case.AssignTo(companion, manager.Id, now);
        var platform = await db.Platforms.OrderBy(p => p.Id).FirstAsync();
        var added = await scope.ServiceProvider.GetRequiredService<ContentLedger>()
            .AddLinksAsync(@case, links.Select(l => new NewLink(l, ContentKind.Image, platform.Id, new string('a', 64))).ToList(), ContentFinder.Monitoring, null, CancellationToken.None);
        var matches = added.Entries.Select((e, i) =>
        {
            var match = new MonitoringMatch(e.Item, @case.Id, HashKind.PdqImage, 12 + i, 88, new string('b', 64), now);
            match.Wait(MatchWaitReason.NoConsent);
            return match;
        }).ToList();
        db.MonitoringMatches.AddRange(matches);
        await db.SaveChangesAsync();
        return (@case.Reference, matches.Select(m => m.Id).ToList());
    }

    private static IHtmlTableRowElement? Row(IHtmlDocument page, long matchId) =>
        page.QuerySelector<IHtmlTableRowElement>($"#match-review tr[data-match='{matchId}']");

    private Task<MonitoringMatch> MatchAsync(long id) =>
        portal.WithDbAsync(db => db.MonitoringMatches.AsNoTracking().Include(m => m.ContentItem).ThenInclude(i => i!.Requests).SingleAsync(m => m.Id == id));

    [Fact]
    public async Task The_companion_sees_address_platform_distance_and_hash_kind_and_each_case_shown_is_logged()
    {
        // Arrange
        var (reference, matches) = await WaitingAsync("https://pics.example.com/review/shown-1.jpg");
        using var companion = await portal.SignInAsync(CompanionWorld.Companion);
        using var other = await portal.SignInAsync(CompanionWorld.OtherCompanion);

        // Act
        var page = await companion.GetAsync(ReviewUrl);
        var others = await other.GetAsync(ReviewUrl);

        // Assert
        var row = Row(page, matches[0]).ShouldNotBeNull();
        row.TextContent.ShouldContain("https://pics.example.com/review/shown-1.jpg");
        row.TextContent.ShouldContain("distance 12 of 256 bits");
        row.TextContent.ShouldContain("Picture (PDQ)");
        row.TextContent.ShouldContain("The victim has not allowed automatic requests");
        row.QuerySelector("img").ShouldBeNull();
        Row(others, matches[0]).ShouldBeNull();
        (await portal.AccessLogAsync(reference)).ShouldContain(e => e.Action == AccessAction.View && e.What == "/Cases/MatchReview" && e.ActorRole == StaffRoles.Companion);
        page.QuerySelector("header nav a[href='/cases/match-review']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Approving_requests_the_copy_and_dismissing_needs_a_reason_and_keeps_what_was_typed()
    {
        // Arrange
        var (reference, matches) = await WaitingAsync("https://pics.example.com/review/approve.jpg", "https://pics.example.com/review/dismiss.jpg");
        using var companion = await portal.SignInAsync(CompanionWorld.Companion);
        var page = await companion.GetAsync(ReviewUrl);

        // Act
        var approved = await companion.SubmitAsync(page, [], formSelector: $"tr[data-match='{matches[0]}'] form[action*='Approve']");
        var refused = await companion.SubmitAsync(approved, [new("Reason", "   ")], formSelector: $"tr[data-match='{matches[1]}'] form[action*='Dismiss']");
        var typed = "A different picture: the background does not match";
        var tooLong = await companion.SubmitAsync(refused, [new("Reason", typed + new string('x', 500))], formSelector: $"tr[data-match='{matches[1]}'] form[action*='Dismiss']");
        var dismissed = await companion.SubmitAsync(tooLong, [new("Reason", typed)], formSelector: $"tr[data-match='{matches[1]}'] form[action*='Dismiss']");

        // Assert
        var first = await MatchAsync(matches[0]);
        first.Decision.ShouldBe(MatchDecision.Approved);
        first.ContentItem!.Status.ShouldBe(ContentStatus.Requested);
        first.ContentItem.Requests.ShouldHaveSingleItem().RequestedById.ShouldNotBeNull();
        Row(approved, matches[0]).ShouldBeNull();
        refused.FieldErrors().ShouldContain("Say why this match is dismissed (at most 500 characters).");
        tooLong.QuerySelector<IHtmlInputElement>($"#reason-{matches[1]}")!.Value.ShouldStartWith(typed);
        var second = await MatchAsync(matches[1]);
        second.Decision.ShouldBe(MatchDecision.Dismissed);
        second.DismissReason.ShouldBe(typed);
        second.ContentItem!.Status.ShouldBe(ContentStatus.Found);
        dismissed.Text().ShouldContain("Match dismissed.");
        Row(dismissed, matches[1]).ShouldBeNull();
        var queue = await companion.GetAsync("/cases/deletion-queue");
        queue.QuerySelector($"tr[data-item='{second.ContentItemId}']").ShouldBeNull();
        (await portal.AccessLogAsync(reference)).Count(e => e.Action == AccessAction.Edit && e.What.StartsWith("/Cases/MatchReview#", StringComparison.Ordinal)).ShouldBe(4);
    }

    [Fact]
    public async Task The_victim_allows_automatic_requests_on_the_report_and_withdraws_it_on_the_status_page()
    {
        // Arrange
        using var browser = portal.Browser("en");
        var page = await browser.GetAsync("/report");
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.WhatHappened());
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.Safety());
        var review = await ReportJourney.NextAsync(browser, page, [.. ReportJourney.Contact(), new("Input.AutomaticRequests", "true")]);

        // Act
        var done = await ReportJourney.SendAsync(browser, review);
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        var code = done.QuerySelector("#access-code")!.TextContent.Trim();
        var allowed = await portal.WithDbAsync(db => db.Cases.Include(c => c.Consents).AsNoTracking().SingleAsync(c => c.Reference == reference));
        await ReportJourney.OpenStatusAsync(browser, reference, code);
        var consents = await browser.GetAsync("/status/consents");
        var shownTicked = consents.QuerySelector<IHtmlInputElement>("#AutomaticRequests")!.IsChecked;
        await browser.SubmitAsync(consents, [new("AutomaticRequests", "false")]);
        var withdrawn = await portal.WithDbAsync(db => db.Cases.Include(c => c.Consents).Include(c => c.Timeline).AsNoTracking().SingleAsync(c => c.Reference == reference));

        // Assert
        review.QuerySelector("#review-automatic")!.TextContent.ShouldContain("Ask the site to delete them at once");
        allowed.AutomaticRequests.ShouldBeTrue();
        allowed.AllowsAutomaticRequests.ShouldBeTrue();
        shownTicked.ShouldBeTrue();
        withdrawn.AutomaticRequests.ShouldBeFalse();
        withdrawn.AllowsAutomaticRequests.ShouldBeFalse();
        withdrawn.HasConsent(ServiceTrackKind.Deletion).ShouldBeTrue("the other choices on the page were kept");
        withdrawn.Timeline.Select(t => t.Detail).ShouldContain("Given:AutomaticRequests");
        withdrawn.Timeline.Select(t => t.Detail).ShouldContain("Withdrawn:AutomaticRequests");
        (await portal.AccessLogAsync(reference)).ShouldContain(e => e.What == "Status/Consents");
    }

    [Fact]
    public async Task The_choice_reads_in_korean_on_the_victims_pages()
    {
        // Arrange
        using var browser = portal.Browser("ko");
        var (reference, code) = await ReportJourney.FileAsync(browser);
        await ReportJourney.OpenStatusAsync(browser, reference, code);

        // Act
        var consents = await browser.GetAsync("/status/consents");

        // Assert
        consents.Text().ShouldContain("내 사진이나 영상의 복제본을 찾으면 바로 사이트에 삭제를 요청해도 돼요");
    }
}
