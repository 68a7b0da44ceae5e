using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Notices;

/// <summary>
/// Notices the portal could not send are listed for managers on /admin/notices (platform, step, reason, attempts;
/// nothing of the victim) and "send again" puts one back in the outbox, recorded in the case's access log.
/// </summary>
public sealed class ParkedNoticesPageTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string PageUrl = "/admin/notices";

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_parked_notice_is_listed_without_victim_data_and_sent_again_by_a_manager()
    {
        // Arrange: a victim's link, requested, whose notice was parked after its tries.
        using var victim = portal.Browser("en");
        var (reference, _) = await ReportJourney.FileAsync(victim);
        var link = "https://video.example.com/watch/parked-" + Guid.NewGuid().ToString("N")[..8];
        long noticeId;
        await using (var scope = portal.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var ledger = scope.ServiceProvider.GetRequiredService<ContentLedger>();
            var manager = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Manager.Email);
            var @case = await db.Cases.Include(c => c.Victim).Include(c => c.Consents).SingleAsync(c => c.Reference == reference);
            var added = await ledger.AddLinksAsync(@case, [new NewLink(link, ContentKind.Video)], ContentFinder.Victim, manager.Id, CancellationToken.None);
            await db.SaveChangesAsync();
            var itemId = added.Entries.Single().Item.Id;
            await ledger.RequestDeletionAsync(@case, [itemId], "ko", manager.Id, CancellationToken.None);
            await db.SaveChangesAsync();
            var item = await db.ContentItems.Include(i => i.Requests).SingleAsync(i => i.Id == itemId);
            var platform = await db.Platforms.SingleAsync(p => p.Id == item.PlatformId);
            var now = portal.Clock.GetUtcNow();
            var notice = new DeletionNotice(item.Requests.Single(), item, platform, NoticeStep.First, now);
            db.DeletionNotices.Add(notice);
            notice.MarkFailed("smtp-rejected", park: true, now, now, TimeSpan.FromHours(24));
            await db.SaveChangesAsync();
            noticeId = notice.Id;
        }
        using var companion = await portal.SignInAsync(CompanionWorld.OtherCompanion);
        using var managerBrowser = await portal.SignInAsync(CompanionWorld.Manager);

        // Act
        var companionResponse = await companion.Client.GetAsync(PageUrl);
        var page = await managerBrowser.GetAsync(PageUrl);
        var row = page.QuerySelector($"#parked tr[data-notice='{noticeId}']");
        var after = await managerBrowser.SubmitAsync(page, [], formSelector: $"tr[data-notice='{noticeId}'] form");

        // Assert: the row, nothing of the victim, the notice back in the outbox, the access log.
        ((int)companionResponse.StatusCode).ShouldBeOneOf(403, 302, 404);
        row.ShouldNotBeNull();
        row.QuerySelector("[data-field='reason']")!.TextContent.Trim().ShouldBe("smtp-rejected");
        row.QuerySelector("[data-field='step']")!.TextContent.ShouldContain("First notice");
        row.QuerySelector("[data-field='platform']")!.TextContent.Trim().ShouldBe("ExampleTube");
        page.Body!.TextContent.ShouldNotContain(link);
        page.Body.TextContent.ShouldNotContain(reference);
        after.QuerySelector("#done")!.TextContent.ShouldContain("sent again");
        after.QuerySelector($"#parked tr[data-notice='{noticeId}']").ShouldBeNull();
        var stored = await portal.WithDbAsync(db => db.DeletionNotices.SingleAsync(n => n.Id == noticeId));
        stored.State.ShouldBe(NoticeState.Waiting);
        stored.Attempts.ShouldBe(0);
        var log = await portal.AccessLogAsync(reference);
        log.ShouldContain(e => e.Action == AccessAction.Edit && e.What == "/Admin/Notices#Retry" && e.ActorRole == StaffRoles.Manager);
    }
}
