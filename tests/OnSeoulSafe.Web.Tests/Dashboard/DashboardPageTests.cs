using System.Net;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Pages.Dashboard;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Dashboard;

public sealed class DashboardPageTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(StaffRoles.Companion)]
    [InlineData(StaffRoles.Monitor)]
    [InlineData(StaffRoles.Auditor)]
    [InlineData(StaffRoles.Admin)]
    public async Task Staff_who_are_not_managers_are_refused(string role)
    {
        using var browser = await SignedInAsync(role);

        var page = await browser.GetRawAsync("/dashboard");
        var export = await browser.GetRawAsync("/dashboard?handler=Export&table=trends");

        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.Headers.Location!.AbsolutePath.ShouldBe("/account/denied");
        export.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        export.Headers.Location!.AbsolutePath.ShouldBe("/account/denied");
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        using var browser = portal.Browser("en");

        var response = await browser.GetRawAsync("/dashboard");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/account/login");
    }

    [Fact]
    public async Task A_manager_sees_the_figures_in_tables_and_charts()
    {
        using var browser = await SignedInAsync(StaffRoles.Manager);

        var page = await browser.GetAsync("/dashboard");

        page.Text().ShouldContain("Caseload dashboard");
        page.QuerySelector("#open-total")!.TextContent.ShouldBe("3");
        page.QuerySelectorAll("#queue tbody tr").Length.ShouldBe(2);
        page.QuerySelectorAll("canvas[data-chart]").Length.ShouldBeGreaterThanOrEqualTo(5);
        page.QuerySelector("script[src*='chartjs']").ShouldNotBeNull();
        foreach (var table in IndexModel.Tables.Where(t => t != "queue")) page.QuerySelector($"table#{table}").ShouldNotBeNull(table);
    }

    [Fact]
    public async Task A_bad_month_is_explained_next_to_the_field()
    {
        using var browser = await SignedInAsync(StaffRoles.Manager);

        var page = await browser.GetAsync("/dashboard?From=2026-13&To=2025-01");

        page.QuerySelector("#From-error")!.TextContent.ShouldContain("Enter a month like 2026-03.");
        ((AngleSharp.Html.Dom.IHtmlInputElement)page.QuerySelector("#From")!).Value.ShouldBe("2026-13");
    }

    [Fact]
    public async Task Export_is_csv_of_aggregates_and_is_logged()
    {
        using var browser = await SignedInAsync(StaffRoles.Manager);
        var before = await portal.WithDbAsync(db => db.AccessLog.CountAsync(e => e.Action == AccessAction.Export));

        var response = await browser.GetRawAsync("/dashboard?handler=Export&table=trends&Minor=no");
        var csv = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        csv.ShouldContain("New cases");
        csv.ShouldNotContain("example.com");
        var entries = await portal.WithDbAsync(db => db.AccessLog.Where(e => e.Action == AccessAction.Export).ToListAsync());
        entries.Count.ShouldBe(before + 1);
        entries[^1].CaseId.ShouldBeNull();
        entries[^1].What.ShouldBe("Dashboard:trends");
        entries[^1].StaffId.ShouldNotBeNull();
    }

    [Fact]
    public async Task Small_counts_show_as_under_five_in_exports()
    {
        using var browser = await SignedInAsync(StaffRoles.Manager);

        var csv = await (await browser.GetRawAsync("/dashboard?handler=Export&table=open-priority")).Content.ReadAsStringAsync();

        // The demo data has three open cases: one per priority at most, so each count is suppressed.
        csv.ShouldContain("<5");
        csv.ShouldNotContain(",1\r\n");
        csv.ShouldNotContain(",2\r\n");
    }

    private async Task<PortalBrowser> SignedInAsync(string role)
    {
        var account = DemoData.Accounts.First(a => a.Role == role);
        var browser = portal.Browser("en");
        await StaffSignIn.AsAsync(portal, browser, account);
        return browser;
    }
}
