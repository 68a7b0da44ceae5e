using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Deletion;

/// <summary>The deletion request queue grouped by platform (/cases/deletion-queue/by-platform): one request per platform across cases.</summary>
public sealed class PlatformRequestsTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string PageUrl = "/cases/deletion-queue/by-platform";
    private const string NameCanary = "bulk-name-canary";

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>An adult's case with deletion consent (and consent to be named in requests), assigned, with the given links.</summary>
    private async Task<string> CaseAsync(DemoData.DemoAccount assignTo, params (string Url, int PlatformId)[] links)
    {
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = portal.Clock.GetUtcNow();
        var @case = await TestCases.OpenAsync(db, now, nickname: NameCanary, deletionConsent: true);
        @case.SetNameInDeletionRequests(true, now);
        var companion = await db.Users.SingleAsync(u => u.Email == assignTo.Email);
        var manager = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Manager.Email);
        @case.AssignTo(companion, manager.Id, now);
        await scope.ServiceProvider.GetRequiredService<ContentLedger>()
            .AddLinksAsync(@case, links.Select(l => new NewLink(l.Url, ContentKind.Video, l.PlatformId)).ToList(), ContentFinder.Victim, null, CancellationToken.None);
        await db.SaveChangesAsync();
        return @case.Reference;
    }

    private Task<ContentItem> ItemAsync(string url)
    {
        var print = TestSecrets.Fingerprints.ContentUrl(ContentLinks.Normalise(url)!);
        return portal.WithDbAsync(db => db.ContentItems.Include(i => i.History).Include(i => i.Requests).SingleAsync(i => i.UrlFingerprint == print));
    }

    private Task<List<Platform>> PlatformsAsync() => portal.WithDbAsync(db => db.Platforms.OrderBy(p => p.Id).ToListAsync());

    private static IHtmlTableRowElement Group(IHtmlDocument page, string platform) =>
        page.QuerySelectorAll<IHtmlTableRowElement>("#platform-groups tr.platform-group").Single(r => r.GetAttribute("data-platform") == platform);

    [Fact]
    public async Task One_request_covers_a_platforms_links_across_cases_and_each_link_is_requested_on_its_own_ledger()
    {
        // Arrange: two companions' cases with links on one platform, and a link on another platform.
        var platforms = await PlatformsAsync();
        var (chosen, other) = (platforms[0], platforms[1]);
        var linkA = "https://video.example.com/watch/bulk-a";
        var linkB1 = "https://video.example.com/watch/bulk-b1";
        var linkB2 = "https://video.example.com/watch/bulk-b2";
        var linkOther = "https://social.example.net/post/bulk-other";
        var caseA = await CaseAsync(CompanionWorld.Companion, (linkA, chosen.Id));
        var caseB = await CaseAsync(CompanionWorld.OtherCompanion, (linkB1, chosen.Id), (linkB2, chosen.Id), (linkOther, other.Id));
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);
        var page = await manager.GetAsync(PageUrl);
        var row = Group(page, chosen.Name);
        row.TextContent.ShouldContain(caseA);
        row.TextContent.ShouldContain(caseB);
        (await portal.AccessLogAsync(caseA)).ShouldContain(e => e.Action == AccessAction.View && e.What == CaseAccessLog.PlatformRequestsList);
        var before = portal.Clock.GetUtcNow();

        // Act
        var after = await manager.SubmitAsync(page, [new("language", "en")], formSelector: $"tr[data-platform='{chosen.Name}'] form");

        // Assert: every link of the platform requested with its own dated request; the other platform's untouched.
        foreach (var link in new[] { linkA, linkB1, linkB2 })
        {
            var item = await ItemAsync(link);
            item.Status.ShouldBe(ContentStatus.Requested, link);
            var request = item.Requests.ShouldHaveSingleItem();
            request.PlatformId.ShouldBe(chosen.Id);
            request.Language.ShouldBe("en");
            request.RequestedById.ShouldBe(await portal.StaffIdAsync(CompanionWorld.Manager));
            request.RequestedAt.ShouldBeGreaterThanOrEqualTo(before);
            item.History.OrderBy(h => h.Id).Last().To.ShouldBe(ContentStatus.Requested);
            item.EscalationStep.ShouldBe(EscalationStep.FirstNotice);
        }
        (await ItemAsync(linkOther)).Status.ShouldBe(ContentStatus.Found);

        // One text: both references and all three links, no name although the victims allowed one on their own requests.
        var text = after.QuerySelector<IHtmlTextAreaElement>("#request-text")!.Value;
        text.ShouldContain(caseA);
        text.ShouldContain(caseB);
        text.ShouldContain(linkA);
        text.ShouldContain(linkB1);
        text.ShouldContain(linkB2);
        text.ShouldNotContain(linkOther);
        text.ShouldNotContain(NameCanary);
        after.QuerySelector("#done").ShouldNotBeNull();

        // Each case: one timeline entry for the request, one edit row in the access log; the notices as for single requests.
        foreach (var reference in new[] { caseA, caseB })
        {
            var id = await portal.CaseIdAsync(reference);
            (await portal.WithDbAsync(db => db.TimelineEvents.CountAsync(e => e.CaseId == id && e.Kind == TimelineEventKind.DeletionRequested))).ShouldBe(1);
            (await portal.AccessLogAsync(reference)).Count(e => e.Action == AccessAction.Edit && e.What == CaseAccessLog.PlatformRequestsList + "#Request").ShouldBe(1);
        }
        var requestIds = await portal.WithDbAsync(db => db.DeletionRequests.Where(r => r.PlatformId == chosen.Id && r.RequestedAt >= before).Select(r => r.Id).ToListAsync());
        var notices = await portal.WithDbAsync(db => db.DeletionNotices.CountAsync(n => requestIds.Contains(n.DeletionRequestId)));
        notices.ShouldBe(chosen.SendsNotices ? requestIds.Count : 0);
        after.QuerySelectorAll<IHtmlTableRowElement>("#platform-groups tr.platform-group").ShouldNotContain(r => r.GetAttribute("data-platform") == chosen.Name);
    }

    [Fact]
    public async Task A_companion_requests_only_the_links_of_their_own_cases()
    {
        // Arrange
        var platform = (await PlatformsAsync())[0];
        var mine = "https://video.example.com/watch/bulk-mine";
        var theirs = "https://video.example.com/watch/bulk-theirs";
        await CaseAsync(CompanionWorld.Companion, (mine, platform.Id));
        var theirCase = await CaseAsync(CompanionWorld.OtherCompanion, (theirs, platform.Id));
        using var companion = await portal.SignInAsync(CompanionWorld.Companion);
        var page = await companion.GetAsync(PageUrl);
        Group(page, platform.Name).TextContent.ShouldNotContain(theirCase);

        // Act
        var after = await companion.SubmitAsync(page, [new("language", "ko")], formSelector: $"tr[data-platform='{platform.Name}'] form");

        // Assert
        (await ItemAsync(mine)).Status.ShouldBe(ContentStatus.Requested);
        (await ItemAsync(theirs)).Status.ShouldBe(ContentStatus.Found);
        after.QuerySelector<IHtmlTextAreaElement>("#request-text")!.Value.ShouldNotContain(theirCase);
        (await portal.AccessLogAsync(theirCase)).ShouldNotContain(e => e.ActorRole == StaffRoles.Companion);
    }

    [Fact]
    public async Task A_platform_with_nothing_waiting_gets_a_clear_message_and_no_request()
    {
        // Arrange
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);
        var page = await manager.GetAsync(PageUrl);
        var token = page.QuerySelector<IHtmlInputElement>("input[name=__af]")?.Value ?? await CompanionWorld.AntiforgeryTokenAsync(manager, signedIn: true);
        var count = await portal.WithDbAsync(db => db.DeletionRequests.CountAsync());

        // Act
        var after = await manager.PostAsync(PageUrl + "?handler=Request", [new("__af", token), new("platformId", "999999"), new("language", "ko")]);

        // Assert
        manager.LastStatus.ShouldBe(System.Net.HttpStatusCode.OK);
        after.QuerySelector("#error-summary")!.TextContent.ShouldContain("No links of this platform are waiting for a deletion request.");
        (await portal.WithDbAsync(db => db.DeletionRequests.CountAsync())).ShouldBe(count);
    }
}
