using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Web.Pages.Report;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

/// <summary>The intake page, served from its per-language snapshot, is the page Razor renders, with each visitor's own token and key.</summary>
public sealed class IntakeFormSnapshotTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("ko")]
    [InlineData("en")]
    public async Task The_snapshot_is_the_rendered_page_with_the_visitors_own_token_and_intake_key(string language)
    {
        using var first = portal.Browser(language);
        using var second = portal.Browser(language);
        using var rendered = portal.Browser(language);

        var firstPage = await first.GetAsync("/report");
        var secondPage = await second.GetAsync("/report");
        // An address with a query is always rendered by Razor: the reference to compare the snapshot with.
        var renderedPage = await rendered.GetAsync("/report?from=test");

        portal.Services.GetRequiredService<IntakeFormSnapshots>().Count.ShouldBeGreaterThanOrEqualTo(1);
        firstPage.DocumentElement.GetAttribute("lang").ShouldBe(language);
        var pages = new[] { firstPage, secondPage, renderedPage };
        pages.Select(Token).Distinct().Count().ShouldBe(3);
        pages.Select(IntakeKey).Distinct().Count().ShouldBe(3);
        pages.ShouldAllBe(p => Guid.Parse(IntakeKey(p)) != Guid.Empty);
        Normalised(secondPage).ShouldBe(Normalised(renderedPage));
        Normalised(firstPage).ShouldBe(Normalised(renderedPage));
    }

    [Fact]
    public async Task Each_visitors_token_works_for_that_visitor_only()
    {
        using var warm = portal.Browser("en");
        await warm.GetAsync("/report");
        using var victim = portal.Browser("en");
        using var other = portal.Browser("en");
        var page = await victim.GetAsync("/report");
        var othersPage = await other.GetAsync("/report");

        var step2 = await ReportJourney.NextAsync(victim, page, ReportJourney.WhatHappened());
        victim.LastStatus.ShouldBe(HttpStatusCode.OK);
        step2.QuerySelector("input[name='Step']")!.GetAttribute("value").ShouldBe("2");

        // The other visitor's token with this visitor's cookie is refused: no two visitors were handed the same token.
        var form = (IHtmlFormElement)othersPage.QuerySelector("#report-form")!;
        var values = PortalBrowser.CurrentValues(form);
        values.AddRange(ReportJourney.WhatHappened());
        await victim.PostAsync("/report?handler=Next", values);
        victim.LastStatus.ShouldBe(HttpStatusCode.BadRequest);
    }

    private static string Token(IHtmlDocument page) => page.QuerySelector("#report-form input[name='__af']")!.GetAttribute("value")!;

    private static string IntakeKey(IHtmlDocument page) => page.QuerySelector("input[name='Input.IntakeKey']")!.GetAttribute("value")!;

    private static string Normalised(IHtmlDocument page) =>
        page.DocumentElement.OuterHtml.Replace(Token(page), "TOKEN", StringComparison.Ordinal).Replace(IntakeKey(page), "KEY", StringComparison.Ordinal);
}
