using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

/// <summary>Help a phone can dial with one tap, and the youth line for children and teenagers as Korean law counts them.</summary>
public sealed class CrisisHelpTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static IEnumerable<string> Dialled(AngleSharp.Dom.IElement? scope) =>
        scope?.QuerySelectorAll("a[href^='tel:']").Select(a => a.GetAttribute("href")!) ?? [];

    [Theory]
    [InlineData("/")]
    [InlineData("/report")]
    [InlineData("/status")]
    public async Task Every_victim_page_offers_112_109_and_the_youth_line_1388_as_tappable_numbers(string path)
    {
        using var browser = portal.Browser("ko");

        var page = await browser.GetAsync(path);

        Dialled(page.QuerySelector("#help-lines")).ShouldBe(["tel:112", "tel:109", "tel:1388"]);
        page.QuerySelector("#help-lines")!.TextContent.ShouldContain("만 19세 미만");
    }

    [Fact]
    public async Task The_minor_question_asks_under_19_as_Korean_law_counts_it()
    {
        using var korean = portal.Browser("ko");
        using var english = portal.Browser("en");

        var ko = await ReportJourney.NextAsync(korean, await korean.GetAsync("/report"), ReportJourney.WhatHappened());
        var en = await ReportJourney.NextAsync(english, await english.GetAsync("/report"), ReportJourney.WhatHappened());

        ko.QuerySelector("#Input_UnderNineteen legend")!.TextContent.ShouldContain("만 19세 미만");
        ko.QuerySelector("#minor-help")!.TextContent.ShouldContain("아동·청소년");
        en.QuerySelector("#Input_UnderNineteen legend")!.TextContent.ShouldContain("under 19");
        ko.Text().ShouldNotContain("18세");
        en.Text().ShouldNotContain("under 18");
    }

    [Fact]
    public async Task An_eighteen_year_old_answering_the_question_is_triaged_as_a_minor_and_sees_the_youth_line()
    {
        // Arrange: eighteen is under nineteen, so she answers yes.
        using var browser = portal.Browser("ko");
        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), ReportJourney.WhatHappened());

        // Act
        var next = await ReportJourney.NextAsync(browser, page, ReportJourney.Safety(minor: true));
        var review = await ReportJourney.NextAsync(browser, next, ReportJourney.Contact());
        var done = await ReportJourney.SendAsync(browser, review);

        // Assert: the youth line beside 112 and 109, as tappable numbers, on the next step and on the receipt.
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        foreach (var shown in new[] { next, done })
        {
            var lines = Dialled(shown.QuerySelector("main #crisis-lines")).ToList();
            lines.ShouldContain("tel:1388");
            lines.ShouldContain("tel:112");
            lines.ShouldContain("tel:109");
        }
        var saved = await portal.WithDbAsync(db => db.Cases.SingleAsync(c => c.Reference == reference));
        saved.IsMinor.ShouldBeTrue();
        saved.Priority.ShouldBe(CasePriority.Emergency);
    }

    [Fact]
    public async Task A_self_harm_answer_shows_crisis_lines_as_tappable_numbers_and_no_youth_line_for_an_adult()
    {
        using var browser = portal.Browser("en");
        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), ReportJourney.WhatHappened());

        var next = await ReportJourney.NextAsync(browser, page, ReportJourney.Safety(selfHarm: true));

        var lines = Dialled(next.QuerySelector("main #crisis-lines")).ToList();
        lines.ShouldBe(["tel:112", "tel:119", "tel:109", "tel:1366"]);
        next.QuerySelector("#youth-line").ShouldBeNull();
    }
}
