using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

public sealed class ReportValidationTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static string Value(IHtmlDocument page, string name) =>
        (page.QuerySelector($"[name='{name}']") as IHtmlTextAreaElement)?.Value
        ?? (page.QuerySelector($"[name='{name}']") as IHtmlInputElement)?.Value
        ?? throw new InvalidOperationException($"No field {name}");

    [Fact]
    public async Task A_missing_narrative_is_reported_next_to_the_field_and_the_links_are_kept()
    {
        using var browser = portal.Browser("en");
        var start = await browser.GetAsync("/report");

        var page = await ReportJourney.NextAsync(browser, start, ReportJourney.WhatHappened(narrative: ""));

        page.QuerySelector("[data-valmsg-for='Input.Narrative']")!.TextContent.ShouldContain("Tell us what happened");
        Value(page, "Input.Links").ShouldContain("https://video.example.com/watch/abc");
        page.QuerySelector("#Input_CrimeTypes_IllegalFilming")!.HasAttribute("checked").ShouldBeTrue();
        page.QuerySelector("#error-summary a[href='#Input_Narrative']").ShouldNotBeNull();
    }

    [Fact]
    public async Task A_link_that_is_not_http_is_refused_and_the_narrative_is_kept()
    {
        using var browser = portal.Browser("en");

        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"),
            ReportJourney.WhatHappened(links: "https://ok.example.com/a\njavascript:alert(1)"));

        page.QuerySelector("[data-valmsg-for='Input.Links']")!.TextContent.ShouldContain("javascript:alert(1)");
        Value(page, "Input.Narrative").ShouldBe(ReportJourney.Narrative);
    }

    [Fact]
    public async Task More_than_fifty_links_or_an_overlong_narrative_are_refused()
    {
        using var browser = portal.Browser("en");
        var tooMany = string.Join('\n', Enumerable.Range(0, 51).Select(i => $"https://x.example.com/{i}"));

        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"),
            ReportJourney.WhatHappened(narrative: new string('a', 20_001), links: tooMany));

        page.QuerySelector("[data-valmsg-for='Input.Links']")!.TextContent.ShouldContain("50");
        page.QuerySelector("[data-valmsg-for='Input.Narrative']")!.TextContent.ShouldContain("20,000");
    }

    [Fact]
    public async Task Unanswered_safety_questions_are_asked_again_and_step_one_is_kept()
    {
        using var browser = portal.Browser("en");
        var step2 = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), ReportJourney.WhatHappened());

        var page = await ReportJourney.NextAsync(browser, step2, [new("Input.SelfHarmThoughts", "false")]);

        page.QuerySelectorAll(".field-validation-error").Count(e => e.TextContent.Contains("yes or no")).ShouldBe(3);
        Value(page, "Input.Narrative").ShouldBe(ReportJourney.Narrative);
        page.QuerySelector("#Input_SelfHarmThoughts_no")!.HasAttribute("checked").ShouldBeTrue();
    }

    [Fact]
    public async Task Choosing_phone_contact_without_a_number_is_refused_and_everything_else_is_kept()
    {
        using var browser = portal.Browser("en");
        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), ReportJourney.WhatHappened());
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.Safety());

        page = await ReportJourney.NextAsync(browser, page, [new("Input.Channel", "Phone"), new("Input.Phone", ""), new("Input.Nickname", "Sky")]);

        page.QuerySelector("[data-valmsg-for='Input.Phone']")!.TextContent.ShouldContain("Enter the number");
        Value(page, "Input.Nickname").ShouldBe("Sky");
        Value(page, "Input.Narrative").ShouldBe(ReportJourney.Narrative);
    }

    [Fact]
    public async Task Script_and_control_characters_never_come_back_as_markup()
    {
        using var browser = portal.Browser("en");
        var hostile = "<script>alert('x')</script>\u0001\u0007 story";
        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), ReportJourney.WhatHappened(narrative: hostile));
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.Safety());
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.Contact());

        var done = await ReportJourney.SendAsync(browser, page);

        page.QuerySelectorAll("script").ShouldAllBe(s => s.HasAttribute("src"));
        var reference = done.QuerySelector("#case-reference")!.TextContent;
        var stored = await portal.WithDbAsync(db => db.Narratives.Where(n => db.Cases.Any(c => c.Id == n.CaseId && c.Reference == reference)).Select(n => n.Text).SingleAsync());
        stored.ShouldBe("<script>alert('x')</script> story");
    }

    [Fact]
    public async Task Going_back_a_step_keeps_what_was_typed()
    {
        using var browser = portal.Browser("en");
        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), ReportJourney.WhatHappened());

        var back = await browser.SubmitAsync(page, ReportJourney.Safety(), handler: "Back");

        Value(back, "Input.Narrative").ShouldBe(ReportJourney.Narrative);
        (back.QuerySelector("input[name='Input.SelfHarmThoughts']") as IHtmlInputElement)!.Value.ShouldBe("False");
    }

    [Theory]
    [InlineData("ko", "일어난 일", "안전 확인", "연락 방법과 동의", "확인 후 보내기")]
    [InlineData("en", "What happened", "Your safety", "Contact and consent", "Check and send")]
    public async Task Every_step_renders_in_both_languages(string culture, string step1, string step2, string step3, string step4)
    {
        using var browser = portal.Browser(culture);
        var page = await browser.GetAsync("/report");
        page.QuerySelector("h2")!.TextContent.ShouldBe(step1);
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.WhatHappened());
        page.QuerySelector("h2")!.TextContent.ShouldBe(step2);
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.Safety());
        page.QuerySelector("main h2")!.TextContent.ShouldBe(step3);
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.Contact());
        page.QuerySelector("h2")!.TextContent.ShouldBe(step4);
        page.DocumentElement.GetAttribute("lang").ShouldBe(culture);
    }
}
