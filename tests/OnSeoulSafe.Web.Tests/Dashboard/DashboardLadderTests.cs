using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Dashboard;

/// <summary>
/// The dashboard's escalation ladder: links per step and overdue per platform, as they stand now, recounted from the
/// ledger and read through the page.
/// </summary>
public sealed class DashboardLadderTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromHours(24);

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// On one platform: a first notice past its deadline, a first notice within it, a second notice past its deadline,
    /// a report to the regulator being prepared, and a link verified gone (off the ladder).
    /// </summary>
    private async Task<int> PlatformOnTheLadderAsync()
    {
        var now = portal.Clock.GetUtcNow();
        var t0 = now.AddDays(-3);
        return await portal.WithDbAsync(async db =>
        {
            var host = $"ladder-{Guid.NewGuid():N}.example.com";
            var platform = new Platform("LadderBoard " + host[7..15], [host], RequestChannel.WebForm, null, "{links}", "{links}");
            db.Platforms.Add(platform);
            await db.SaveChangesAsync();
            var n = 0;
            ContentItem Requested(DateTimeOffset verifiedAt)
            {
                var url = $"https://{host}/{n++}";
                var item = new ContentItem(null, url, TestSecrets.Fingerprints.ContentUrl(url), platform.Id, ContentKind.Image, ContentFinder.Monitoring, false, t0);
                db.ContentItems.Add(item);
                item.RequestDeletion(platform.Id, RequestChannel.WebForm, "ko", null, verifiedAt);
                item.StartLadder(verifiedAt, Deadline);
                return item;
            }
            Requested(t0);
            Requested(now.AddHours(-1));
            Requested(t0).ClimbLadder(t0.AddHours(25), t0.AddHours(25), Deadline);
            var regulator = Requested(t0);
            regulator.ClimbLadder(t0.AddHours(25), t0.AddHours(25), Deadline);
            regulator.ClimbLadder(t0.AddHours(50), null, Deadline);
            Requested(t0).ApplyRecheck(RecheckOutcome.Gone, null, t0.AddHours(2));
            await db.SaveChangesAsync();
            return platform.Id;
        });
    }

    [Fact]
    public async Task The_dashboard_shows_links_per_escalation_step_and_overdue_per_platform_as_recounted_from_the_ledger()
    {
        // Arrange
        var platformId = await PlatformOnTheLadderAsync();
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);

        // Act
        var page = await manager.GetAsync("/dashboard");

        // Assert: the platform's row
        var row = page.QuerySelector($"#ladder-platforms tr[data-platform='{platformId}']")!;
        row.ShouldNotBeNull();
        (row.QuerySelector("[data-figure='links']")!.TextContent.Trim(), row.QuerySelector("[data-figure='overdue']")!.TextContent.Trim()).ShouldBe(("4", "2"));

        // Assert: per step, recounted from every link on the ladder
        var now = portal.Clock.GetUtcNow();
        var recount = await portal.WithDbAsync(db => db.ContentItems
            .Where(c => c.EscalationStep != EscalationStep.None)
            .Where(c => c.Status == ContentStatus.Requested || c.Status == ContentStatus.Refused || c.Status == ContentStatus.NoResponse)
            .GroupBy(c => c.EscalationStep)
            .Select(g => new { Step = g.Key, Links = g.Count(), Overdue = g.Count(c => c.EscalationDueAt != null && c.EscalationDueAt <= now) })
            .ToListAsync());
        recount.Single(r => r.Step == EscalationStep.FirstNotice).Overdue.ShouldBeGreaterThanOrEqualTo(1);
        recount.Single(r => r.Step == EscalationStep.RegulatorReport).Links.ShouldBeGreaterThanOrEqualTo(1);
        page.QuerySelectorAll("#ladder-steps tbody tr").Length.ShouldBe(recount.Count);
        foreach (var step in recount)
        {
            var stepRow = page.QuerySelector($"#ladder-steps tr[data-step='{step.Step}']")!;
            stepRow.ShouldNotBeNull();
            stepRow.QuerySelector("[data-figure='links']")!.TextContent.Trim().ShouldBe(step.Links.ToString(CultureInfo.InvariantCulture));
            stepRow.QuerySelector("[data-figure='overdue']")!.TextContent.Trim().ShouldBe(step.Overdue.ToString(CultureInfo.InvariantCulture));
        }
    }
}
