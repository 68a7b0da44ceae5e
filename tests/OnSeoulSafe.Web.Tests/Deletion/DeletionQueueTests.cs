using System.Net;
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

namespace OnSeoulSafe.Web.Tests.Deletion;

/// <summary>The deletion request queue across cases (/cases/deletion-queue), as managers and companions use it.</summary>
public sealed class DeletionQueueTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string QueueUrl = "/cases/deletion-queue";

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>An adult's case with deletion consent, assigned when asked, with the given links.</summary>
    private async Task<string> CaseAsync(DemoData.DemoAccount? assignTo, params string[] links)
    {
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = portal.Clock.GetUtcNow();
        var @case = await TestCases.OpenAsync(db, now, deletionConsent: true);
        if (assignTo is not null)
        {
            var companion = await db.Users.SingleAsync(u => u.Email == assignTo.Email);
            var manager = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Manager.Email);
            @case.AssignTo(companion, manager.Id, now);
        }
        await scope.ServiceProvider.GetRequiredService<ContentLedger>()
            .AddLinksAsync(@case, links.Select(l => new NewLink(l, ContentKind.Video)).ToList(), ContentFinder.Victim, null, CancellationToken.None);
        await db.SaveChangesAsync();
        return @case.Reference;
    }

    private static List<IHtmlTableRowElement> Rows(IHtmlDocument page) => page.QuerySelectorAll<IHtmlTableRowElement>("#deletion-queue tr.queue-row").ToList();

    /// <summary>The item holding a link (links are encrypted at rest: found by their keyed fingerprint).</summary>
    private Task<ContentItem> ItemAsync(string url)
    {
        var print = TestSecrets.Fingerprints.ContentUrl(ContentLinks.Normalise(url)!);
        return portal.WithDbAsync(db => db.ContentItems.Include(i => i.History).Include(i => i.Requests).SingleAsync(i => i.UrlFingerprint == print));
    }

    [Fact]
    public async Task A_minors_link_is_at_the_top_of_the_managers_queue_without_anyone_asking_even_unassigned()
    {
        // Arrange: an adult's older link on an assigned case, then a minor's report with a link, never assigned.
        var adultLink = "https://video.example.com/watch/queue-adult-older";
        var adultCase = await CaseAsync(CompanionWorld.Companion, adultLink);
        portal.Clock.Advance(TimeSpan.FromMinutes(5));
        using var victim = portal.Browser("en");
        var minorLink = "https://video.example.com/watch/queue-minor-1";
        var done = await ReportJourney.SendAsync(victim, await ReportJourney.ReviewAsync(victim, minor: true, links: minorLink));
        var minorCase = done.QuerySelector("#case-reference")!.TextContent.Trim();
        (await portal.WithDbAsync(db => db.Cases.SingleAsync(c => c.Reference == minorCase))).AssignedCompanionId.ShouldBeNull();
        portal.Clock.Advance(TimeSpan.FromHours(3));
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);

        // Act
        var page = await manager.GetAsync(QueueUrl);

        // Assert: in the minors' block at the top (before the older adult link), marked, unassigned.
        var rows = Rows(page);
        rows[0].GetAttribute("data-minor").ShouldBe("true");
        var minors = rows.TakeWhile(r => r.GetAttribute("data-minor") == "true").ToList();
        minors.ShouldContain(r => r.GetAttribute("data-case") == minorCase);
        var first = minors.Single(r => r.GetAttribute("data-case") == minorCase);
        first.GetAttribute("data-minor").ShouldBe("true");
        first.TextContent.ShouldContain("Minor");
        first.TextContent.ShouldContain("Unassigned");
        first.TextContent.ShouldContain("3 h");
        first.TextContent.ShouldNotContain(minorLink);
        rows.FindIndex(r => r.GetAttribute("data-case") == adultCase).ShouldBeGreaterThanOrEqualTo(minors.Count);
        var minorLog = await portal.AccessLogAsync(minorCase);
        minorLog.ShouldContain(e => e.Action == AccessAction.View && e.What == "/Cases/DeletionQueue" && e.ActorRole == StaffRoles.Manager);
        page.QuerySelector("header nav a[href='/cases/deletion-queue']").ShouldNotBeNull();

        // Act: the manager requests it from the queue, in Korean.
        var requestedAt = portal.Clock.GetUtcNow();
        var after = await manager.SubmitAsync(page, [new("language", "ko")], formSelector: $"tr[data-item='{first.GetAttribute("data-item")}'] form");

        // Assert: requested with a dated step, the request text shown, and the link gone from the queue.
        var item = await ItemAsync(minorLink);
        item.Status.ShouldBe(ContentStatus.Requested);
        var request = item.Requests.ShouldHaveSingleItem();
        request.RequestedAt.ShouldBe(requestedAt, TimeSpan.FromMinutes(1));
        request.Language.ShouldBe("ko");
        item.History.OrderBy(h => h.Id).Last().To.ShouldBe(ContentStatus.Requested);
        item.History.OrderBy(h => h.Id).Last().At.ShouldBe(request.RequestedAt);
        var text = after.QuerySelector<IHtmlTextAreaElement>("#request-text")!.Value;
        text.ShouldContain(minorCase);
        text.ShouldContain(minorLink);
        Rows(after).ShouldNotContain(r => r.GetAttribute("data-case") == minorCase);
        (await portal.AccessLogAsync(minorCase)).ShouldContain(e => e.Action == AccessAction.Edit && e.What == "/Cases/DeletionQueue#Request");
    }

    [Fact]
    public async Task A_companion_sees_only_the_links_of_their_own_cases()
    {
        // Arrange
        var mine = await CaseAsync(CompanionWorld.Companion, "https://video.example.com/watch/queue-mine");
        var theirs = await CaseAsync(CompanionWorld.OtherCompanion, "https://video.example.com/watch/queue-theirs");
        var unassigned = await CaseAsync(null, "https://video.example.com/watch/queue-unassigned");
        var caseless = await portal.WithDbAsync(async db =>
        {
            var ledger = new ContentLedger(db, TestSecrets.Fingerprints, portal.Clock);
            var entry = await ledger.AddCaselessAsync(new NewLink("https://video.example.com/watch/queue-caseless", ContentKind.Video), ContentFinder.CitizenMonitor, false, CancellationToken.None);
            await db.SaveChangesAsync();
            return entry!.Item.Id;
        });
        using var companion = await portal.SignInAsync(CompanionWorld.Companion);
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);
        var beforeTheirs = (await portal.AccessLogAsync(theirs)).Count;

        // Act
        var companionRows = Rows(await companion.GetAsync(QueueUrl));
        var managerRows = Rows(await manager.GetAsync(QueueUrl));

        // Assert
        var companionId = await portal.StaffIdAsync(CompanionWorld.Companion);
        var assignedToCompanion = await portal.WithDbAsync(db => db.Cases.Where(c => c.AssignedCompanionId == companionId).Select(c => c.Reference).ToListAsync());
        companionRows.Select(r => r.GetAttribute("data-case")).ShouldContain(mine);
        companionRows.ShouldAllBe(r => assignedToCompanion.Contains(r.GetAttribute("data-case")!));
        managerRows.Select(r => r.GetAttribute("data-case")).ShouldContain(theirs);
        managerRows.Select(r => r.GetAttribute("data-case")).ShouldContain(unassigned);
        managerRows.ShouldContain(r => r.GetAttribute("data-item") == caseless.ToString(System.Globalization.CultureInfo.InvariantCulture) && r.TextContent.Contains(ContentLedger.CaselessReference(caseless)));
        (await portal.AccessLogAsync(mine)).ShouldContain(e => e.Action == AccessAction.View && e.What == "/Cases/DeletionQueue" && e.ActorRole == StaffRoles.Companion);
        (await portal.AccessLogAsync(theirs)).Count(e => e.ActorRole == StaffRoles.Companion).ShouldBe(0);
        (await portal.AccessLogAsync(theirs)).Count.ShouldBe(beforeTheirs + 1, "only the manager's read of the queue");
    }

    [Fact]
    public async Task Requesting_from_the_queue_moves_the_link_to_requested_with_a_dated_history_and_another_companions_link_is_refused()
    {
        // Arrange
        var link = "https://video.example.com/watch/queue-request-1";
        var mine = await CaseAsync(CompanionWorld.Companion, link);
        var theirs = await CaseAsync(CompanionWorld.OtherCompanion, "https://video.example.com/watch/queue-request-theirs");
        var theirItem = (await ItemAsync("https://video.example.com/watch/queue-request-theirs")).Id;
        portal.Clock.Advance(TimeSpan.FromDays(2));
        using var companion = await portal.SignInAsync(CompanionWorld.Companion);
        var page = await companion.GetAsync(QueueUrl);
        var row = Rows(page).Single(r => r.GetAttribute("data-case") == mine);
        row.TextContent.ShouldContain("2 days");

        // Act
        var before = portal.Clock.GetUtcNow();
        var after = await companion.SubmitAsync(page, [new("language", "en")], formSelector: $"tr[data-item='{row.GetAttribute("data-item")}'] form");
        var token = await CompanionWorld.AntiforgeryTokenAsync(companion, signedIn: true);
        using var refused = await companion.Client.PostAsync(QueueUrl + "?handler=Request",
            new FormUrlEncodedContent([new("__af", token), new("itemId", theirItem.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("language", "en")]));

        // Assert
        var item = await ItemAsync(link);
        item.Status.ShouldBe(ContentStatus.Requested);
        var request = item.Requests.ShouldHaveSingleItem();
        request.RequestedAt.ShouldBeGreaterThanOrEqualTo(before.AddSeconds(-1));
        request.RequestedById.ShouldBe(await portal.StaffIdAsync(CompanionWorld.Companion));
        item.History.Select(h => h.To).ShouldBe([ContentStatus.Found, ContentStatus.Requested]);
        item.History.Single(h => h.To == ContentStatus.Requested).At.ShouldBe(request.RequestedAt);
        after.QuerySelector("#done").ShouldNotBeNull();
        after.QuerySelector<IHtmlTextAreaElement>("#request-text")!.Value.ShouldContain(link);
        var mineId = await portal.CaseIdAsync(mine);
        (await portal.WithDbAsync(db => db.TimelineEvents.CountAsync(e => e.CaseId == mineId && e.Kind == TimelineEventKind.DeletionRequested))).ShouldBe(1);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ItemAsync("https://video.example.com/watch/queue-request-theirs")).Status.ShouldBe(ContentStatus.Found);
        (await portal.AccessLogAsync(theirs)).ShouldContain(e => e.Action == AccessAction.Denied && e.What == "/Cases/DeletionQueue");
    }
}
