using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Dashboard;

/// <summary>The dashboard's "deletion by platform" table and its CSV, read from the counters kept with each change.</summary>
public sealed class DashboardDeletionTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Seven requests on one platform: five verified gone after 2, 3, 5, 30 and 100 hours (one of them back online
    /// later), one refused, one unanswered.
    /// </summary>
    private async Task<int> PlatformWithHistoryAsync()
    {
        var t0 = portal.Clock.GetUtcNow().AddDays(-40);
        return await portal.WithDbAsync(async db =>
        {
            var platform = new Platform("FigureTube", ["figures.example.com"], RequestChannel.WebForm, null, "{links}", "{links}");
            db.Platforms.Add(platform);
            await db.SaveChangesAsync();
            ContentItem Requested(int n)
            {
                var url = $"https://figures.example.com/{n}";
                var item = new ContentItem(null, url, TestSecrets.Fingerprints.ContentUrl(url), platform.Id, ContentKind.Video, ContentFinder.CitizenMonitor, false, t0.AddHours(-1));
                item.RequestDeletion(platform.Id, RequestChannel.WebForm, "ko", null, t0);
                db.ContentItems.Add(item);
                return item;
            }
            var hours = new[] { 2, 3, 5, 30, 100 };
            var gone = hours.Select((h, i) => { var item = Requested(i); item.ApplyRecheck(RecheckOutcome.Gone, null, t0.AddHours(h)); return item; }).ToList();
            gone[2].ApplyRecheck(RecheckOutcome.StillUp, null, t0.AddDays(10));
            Requested(10).RecordOutcome(ContentStatus.Refused, null, t0.AddDays(1));
            Requested(11).RecordOutcome(ContentStatus.NoResponse, null, t0.AddDays(14));
            await db.SaveChangesAsync();
            return platform.Id;
        });
    }

    [Fact]
    public async Task Deletion_by_platform_shows_answers_times_to_verified_deletion_and_reappearance_in_the_page_and_the_csv()
    {
        // Arrange
        var platformId = await PlatformWithHistoryAsync();
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);

        // Act
        var page = await manager.GetAsync("/dashboard");
        var csv = await (await manager.GetRawAsync("/dashboard?handler=Export&table=deletion")).Content.ReadAsStringAsync();

        // Assert: the table
        var row = page.QuerySelector($"#deletion tr[data-platform='{platformId}']")!;
        string Figure(string name) => row.QuerySelector($"[data-figure='{name}']")!.TextContent.Trim();
        (Figure("requests"), Figure("deleted"), Figure("refused"), Figure("no-response"), Figure("verified-gone")).ShouldBe(("7", "5", "1", "1", "5"));
        Figure("median").ShouldBe("under 8 h");
        Figure("p90").ShouldBe("under 5 days");
        Figure("reappearance").ShouldBe("20.0%");

        // Assert: the CSV has every column, small counts suppressed
        var lines = csv.Split("\r\n");
        lines[0].TrimStart('\uFEFF').ShouldBe("Platform,Requests,Deleted,Refused,No response,Verified gone,Median time to verified deletion,90th percentile time to verified deletion,Reappearance rate");
        lines.ShouldContain("FigureTube,7,5,<5,<5,5,under 8 h,under 5 days,20.0%");
    }
}
