using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Monitoring;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Dashboard;

/// <summary>
/// The dashboard's monitoring figures: found by monitoring against reported by people (recounted from the ledger),
/// per platform the time from found to request to verified gone, and reappearances monitoring found.
/// </summary>
public sealed class DashboardMonitoringTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Six copies monitoring found on one platform: requested after 1, 3, 5, 1 and 1 hours (one never requested);
    /// verified gone 4, 10, 2 and 1 hours after the request; one found back online by monitoring, one by the re-check.
    /// Three links people reported on the same platform.
    /// </summary>
    private async Task<int> PlatformWithFindsAsync(string name = "ScanBoard ")
    {
        var t0 = portal.Clock.GetUtcNow().AddDays(-20);
        return await portal.WithDbAsync(async db =>
        {
            var host = $"scan-{Guid.NewGuid():N}.example.com";
            var platform = new Platform(name + host[5..13], [host], RequestChannel.WebForm, null, "{links}", "{links}");
            db.Platforms.Add(platform);
            await db.SaveChangesAsync();
            var n = 0;
            ContentItem Item(ContentFinder finder)
            {
                var url = $"https://{host}/{n++}";
                var item = new ContentItem(null, url, TestSecrets.Fingerprints.ContentUrl(url), platform.Id, ContentKind.Image, finder, false, t0);
                db.ContentItems.Add(item);
                return item;
            }
            ContentItem Found(int? requestAfter, int? goneAfter)
            {
                var item = Item(ContentFinder.Monitoring);
                if (requestAfter is { } r) item.RequestDeletion(platform.Id, RequestChannel.WebForm, "ko", null, t0.AddHours(r));
                if (requestAfter is { } r2 && goneAfter is { } g) item.ApplyRecheck(RecheckOutcome.Gone, null, t0.AddHours(r2 + g));
                return item;
            }
            Found(1, 4);
            Found(3, 10);
            Found(5, null);
            Found(null, null);
            Found(1, 2).FoundOnlineAgain(t0.AddDays(2), FoundCopies.ReappearedNote);
            Found(1, 1).ApplyRecheck(RecheckOutcome.StillUp, null, t0.AddDays(3));
            Item(ContentFinder.Victim);
            Item(ContentFinder.Victim);
            Item(ContentFinder.CitizenMonitor);
            await db.SaveChangesAsync();
            return platform.Id;
        });
    }

    [Fact]
    public async Task Monitoring_figures_show_found_against_reported_times_per_platform_and_reappearances_as_recounted_from_the_ledger()
    {
        // Arrange
        var platformId = await PlatformWithFindsAsync();
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);

        // Act
        var page = await manager.GetAsync("/dashboard");

        // Assert: the platform's row
        var row = page.QuerySelector($"#monitoring-platforms tr[data-platform='{platformId}']")!;
        string Figure(string name) => row.QuerySelector($"[data-figure='{name}']")!.TextContent.Trim();
        (Figure("found"), Figure("requested"), Figure("verified-gone"), Figure("reappeared")).ShouldBe(("6", "5", "4", "1"));
        Figure("to-request").ShouldBe("1 h");
        Figure("to-gone").ShouldBe("3 h");

        // Assert: found against reported, recounted from every link in the ledger
        var counts = await portal.WithDbAsync(db => db.ContentItems.GroupBy(c => c.FoundBy).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
        string Found(string finder) => page.QuerySelector($"#monitoring-found-by tr[data-finder='{finder}'] td")!.TextContent.Trim();
        Found("monitoring").ShouldBe(counts.GetValueOrDefault(ContentFinder.Monitoring).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Found("people").ShouldBe((counts.GetValueOrDefault(ContentFinder.Victim) + counts.GetValueOrDefault(ContentFinder.CitizenMonitor)
            + counts.GetValueOrDefault(ContentFinder.Companion)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        counts.GetValueOrDefault(ContentFinder.Monitoring).ShouldBeGreaterThanOrEqualTo(6);
    }

    [Fact]
    public async Task A_month_range_before_the_finds_shows_none_of_them()
    {
        // Arrange
        var platformId = await PlatformWithFindsAsync();
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);

        // Act
        var page = await manager.GetAsync("/dashboard?From=2020-01&To=2020-02");

        // Assert
        page.QuerySelector($"#monitoring-platforms tr[data-platform='{platformId}']").ShouldBeNull();
        page.QuerySelector("#monitoring-found-by tr[data-finder='monitoring'] td")!.TextContent.Trim().ShouldBe("0");
    }

    [Fact]
    public async Task The_export_holds_the_monitoring_figures_the_page_shows_with_small_counts_suppressed_and_formula_cells_neutralised()
    {
        // Arrange: a platform whose name a spreadsheet would run as a formula.
        var platformId = await PlatformWithFindsAsync("=HYPERLINK(\"x\") ");
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);
        var page = await manager.GetAsync("/dashboard");

        // Act
        var foundBy = await ExportAsync(manager, "monitoring-found-by");
        var platforms = await ExportAsync(manager, "monitoring-platforms");

        // Assert: found against reported, as on the page (counts under five would read "<5").
        foundBy[0].ShouldBe(["Found by", "Links"]);
        string Shown(string finder)
        {
            var n = long.Parse(page.QuerySelector($"#monitoring-found-by tr[data-finder='{finder}'] td")!.TextContent.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            return n is > 0 and < 5 ? "<5" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        foundBy.Skip(1).Select(r => r[1]).ShouldBe([Shown("monitoring"), Shown("people"), Shown("recheck")]);
        foundBy[1][0].ShouldBe("Monitoring");

        // Assert: the platform's row; 4 verified gone and 1 reappearance are suppressed, and so is the median over 4.
        platforms[0].ShouldBe(["Platform", "Found", "Requests", "Median time from found to request", "Verified gone",
            "Median time from request to verified deletion", "Reappeared (found by monitoring)"]);
        var name = await portal.WithDbAsync(db => db.Platforms.Where(p => p.Id == platformId).Select(p => p.Name).SingleAsync());
        var row = platforms.Single(r => r[0].EndsWith(name[1..], StringComparison.Ordinal));
        row.ShouldBe(["'" + name, "6", "5", "1 h", "<5", "", "<5"]);
        platforms.Count.ShouldBe(page.QuerySelectorAll("#monitoring-platforms tbody tr").Length + 1);
    }

    /// <summary>A table of the dashboard's export, read back cell by cell as a spreadsheet would.</summary>
    private static async Task<List<string[]>> ExportAsync(PortalBrowser browser, string table)
    {
        using var response = await browser.GetRawAsync($"/dashboard?handler=Export&table={table}");
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        using var reader = new StringReader((await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
        using var csv = new CsvHelper.CsvReader(reader, System.Globalization.CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (await csv.ReadAsync()) rows.Add(csv.Parser.Record!);
        return rows;
    }
}
