using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Notices;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Notices;

/// <summary>
/// A link the platform never removes climbs the ladder on the test clock; the deletion team records the report to the
/// regulator on /cases/escalation; the victim sees each step, dated, on /status.
/// </summary>
public sealed class EscalationPageTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string PageUrl = "/cases/escalation";

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int> ClimbAsync()
    {
        await using var scope = portal.Scope();
        return await scope.ServiceProvider.GetRequiredService<EscalationLadder>().RunOnceAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_link_no_platform_removes_reaches_the_regulator_report_which_a_manager_records_and_the_victim_sees_each_step()
    {
        // Arrange: a victim's report with a link, requested by hand on the demo platform.
        using var victim = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(victim);
        var link = "https://video.example.com/watch/ladder-" + Guid.NewGuid().ToString("N")[..8];
        long itemId;
        await using (var scope = portal.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var ledger = scope.ServiceProvider.GetRequiredService<ContentLedger>();
            var manager = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Manager.Email);
            var @case = await db.Cases.Include(c => c.Victim).Include(c => c.Consents).SingleAsync(c => c.Reference == reference);
            var added = await ledger.AddLinksAsync(@case, [new NewLink(link, ContentKind.Video)], ContentFinder.Victim, manager.Id, CancellationToken.None);
            await db.SaveChangesAsync();
            itemId = added.Entries.Single().Item.Id;
            await ledger.RequestDeletionAsync(@case, [itemId], "ko", manager.Id, CancellationToken.None);
            await db.SaveChangesAsync();
        }
        var beforeDeadline = await ClimbAsync();
        portal.Clock.Advance(TimeSpan.FromHours(24).Add(TimeSpan.FromMinutes(1)));
        var toSecond = await ClimbAsync();
        portal.Clock.Advance(TimeSpan.FromHours(24).Add(TimeSpan.FromMinutes(1)));
        var toRegulator = await ClimbAsync();
        using var other = await portal.SignInAsync(CompanionWorld.OtherCompanion);
        using var manager2 = await portal.SignInAsync(CompanionWorld.Manager);

        // Act
        var othersPage = await other.GetAsync(PageUrl);
        var page = await manager2.GetAsync(PageUrl);
        var report = page.QuerySelector($"#regulator-reports li[data-item='{itemId}']");
        var after = await manager2.SubmitAsync(page, [], formSelector: $"li[data-item='{itemId}'] form");
        var again = await manager2.SubmitAsync(page, [], formSelector: $"li[data-item='{itemId}'] form");
        var status = await ReportJourney.OpenStatusAsync(victim, reference, code);

        // Assert: the ladder, the evidence, the recorded report, the logs, and what the victim reads.
        beforeDeadline.ShouldBe(0);
        toSecond.ShouldBeGreaterThanOrEqualTo(1);
        toRegulator.ShouldBeGreaterThanOrEqualTo(1);
        othersPage.QuerySelector($"#regulator-reports li[data-item='{itemId}']").ShouldBeNull();
        report.ShouldNotBeNull();
        report.TextContent.ShouldContain(reference);
        report.TextContent.ShouldContain(link);
        report.TextContent.ShouldContain("ExampleTube");
        page.QuerySelector("header nav a[href='/cases/escalation']").ShouldNotBeNull();
        page.QuerySelector("#ladder-counts")!.TextContent.ShouldContain("Report to the regulator being prepared");
        after.QuerySelector("#done")!.TextContent.ShouldContain("recorded as sent");
        after.QuerySelector($"#regulator-reports li[data-item='{itemId}']").ShouldBeNull();
        // The same report recorded twice (a stale page): a clear message, and nothing recorded again.
        again.QuerySelector(".text-danger")!.TextContent.ShouldContain("No report to the regulator is waiting for this link.");
        var item = await portal.WithDbAsync(db => db.ContentItems.Include(i => i.History).SingleAsync(i => i.Id == itemId));
        item.History.Count(h => h.Note == "ladder:RegulatorReported").ShouldBe(1);
        item.EscalationStep.ShouldBe(EscalationStep.RegulatorReported);
        item.EscalationDueAt.ShouldNotBeNull();
        item.History.ShouldContain(h => h.Note == "ladder:RegulatorReported" && h.StaffId != null);
        var log = await portal.AccessLogAsync(reference);
        log.ShouldContain(e => e.Action == AccessAction.View && e.What == "/Cases/Escalation" && e.ActorRole == StaffRoles.Manager);
        log.ShouldContain(e => e.Action == AccessAction.Edit && e.What == "/Cases/Escalation#Report");
        var steps = status.QuerySelectorAll(".link-step").Select(s => s.TextContent).ToList();
        steps.ShouldContain(s => s.Contains("so we asked again on", StringComparison.Ordinal));
        steps.ShouldContain(s => s.Contains("preparing a report to the Korea Communications Standards Commission", StringComparison.Ordinal));
        steps.ShouldContain(s => s.Contains("We reported it to the Korea Communications Standards Commission on", StringComparison.Ordinal));
    }
}
