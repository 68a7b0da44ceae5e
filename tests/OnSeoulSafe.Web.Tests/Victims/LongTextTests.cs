using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

/// <summary>
/// Limits are characters, as the text box counts them, in every language: Hangul is nine bytes per character once
/// form-encoded, and a long account in Korean must be received, or refused on its own page with everything kept.
/// </summary>
public sealed class LongTextTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static string Hangul(int length) => string.Concat(Enumerable.Repeat("가나다라마바사아자차", length / 10 + 1))[..length];

    private static string Value(IHtmlDocument page, string name) =>
        (page.QuerySelector($"[name='{name}']") as IHtmlTextAreaElement)?.Value
        ?? (page.QuerySelector($"[name='{name}']") as IHtmlInputElement)?.Value
        ?? throw new InvalidOperationException($"No field {name}");

    [Fact]
    public async Task A_narrative_of_20000_Hangul_characters_is_received_whole()
    {
        // Arrange
        using var browser = portal.Browser("ko");
        var narrative = Hangul(20_000);
        var page = await browser.GetAsync("/report");

        // Act: every step posts the narrative again, as the wizard does.
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.WhatHappened(narrative: narrative));
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.Safety());
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.Contact());
        var done = await ReportJourney.SendAsync(browser, page);

        // Assert
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        var stored = await portal.WithDbAsync(db => db.Cases.Where(c => c.Reference == reference).Select(c => c.Narrative.Text).SingleAsync());
        stored.ShouldBe(narrative);
    }

    [Fact]
    public async Task Line_breaks_count_as_one_character_as_in_the_text_box()
    {
        // Arrange: 20,000 characters as the browser counts them (39 of them line breaks, which the form sends as CR LF).
        using var browser = portal.Browser("ko");
        var narrative = string.Join("\r\n", Enumerable.Range(0, 40).Select(_ => Hangul(499))) + Hangul(1);

        // Act
        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), ReportJourney.WhatHappened(narrative: narrative));

        // Assert
        narrative.Length.ShouldBe(20_039);
        page.QuerySelector("input[name=Step]")!.GetAttribute("value").ShouldBe("2");
    }

    [Fact]
    public async Task A_narrative_of_20001_Hangul_characters_comes_back_with_the_fields_error_and_everything_kept()
    {
        // Arrange
        using var browser = portal.Browser("ko");
        var narrative = Hangul(20_001);

        // Act
        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), ReportJourney.WhatHappened(narrative: narrative));

        // Assert
        browser.LastStatus.ShouldBe(System.Net.HttpStatusCode.OK);
        page.QuerySelector("[data-valmsg-for='Input.Narrative']")!.TextContent.ShouldContain("20,000자 이내");
        Value(page, "Input.Narrative").ShouldBe(narrative);
        Value(page, "Input.Links").ShouldContain("https://video.example.com/watch/abc");
        page.QuerySelector("#Input_CrimeTypes_IllegalFilming")!.HasAttribute("checked").ShouldBeTrue();
        Value(page, "Input.HappenedOn").ShouldBe("2026-10-01");
    }

    [Fact]
    public async Task A_status_message_and_an_amendment_take_their_limit_in_Hangul_and_refuse_one_more_with_the_text_kept()
    {
        // Arrange
        using var browser = portal.Browser("ko");
        var (reference, code) = await ReportJourney.FileAsync(browser);
        await ReportJourney.OpenStatusAsync(browser, reference, code);
        var longMessage = Hangul(5_001);
        var longAddition = Hangul(20_001);

        // Act
        var message = await browser.SubmitAsync(await browser.GetAsync("/status/case"), [new("NewMessage", longMessage)], "form[action*='handler=Message']");
        var addition = await browser.SubmitAsync(await browser.GetAsync("/status/amend"), [new("Addition", longAddition)]);
        await browser.SubmitAsync(await browser.GetAsync("/status/case"), [new("NewMessage", Hangul(5_000))], "form[action*='handler=Message']");
        await browser.SubmitAsync(await browser.GetAsync("/status/amend"), [new("Addition", Hangul(20_000))]);

        // Assert
        message.QuerySelector("[data-valmsg-for='NewMessage']")!.TextContent.ShouldContain("5000");
        Value(message, "NewMessage").ShouldBe(longMessage);
        addition.QuerySelector("[data-valmsg-for='Addition']")!.TextContent.ShouldContain("20,000");
        Value(addition, "Addition").ShouldBe(longAddition);
        var saved = await portal.WithDbAsync(async db =>
        {
            var @case = await db.Cases.Include(c => c.Messages).Include(c => c.Amendments).SingleAsync(c => c.Reference == reference);
            return (@case.Messages.Select(m => m.Body.Length).ToList(), @case.Amendments.Select(a => a.Text.Length).ToList());
        });
        saved.Item1.ShouldBe([5_000]);
        saved.Item2.ShouldBe([20_000]);
    }
}
