using System.Text.RegularExpressions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Ground;

public sealed class LandingPageTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Landing_page_is_Korean_by_default()
    {
        using var browser = portal.Browser();

        var page = await browser.GetAsync("/");

        page.DocumentElement.GetAttribute("lang").ShouldBe("ko");
        page.Text().ShouldContain("피해 신고하기");
        page.Text().ShouldContain("내 신고 확인하기");
    }

    [Fact]
    public async Task Korean_is_written_as_it_is_while_markup_a_victim_typed_stays_encoded()
    {
        // Arrange
        using var browser = portal.Browser();
        var form = await browser.GetAsync("/report");

        // Act
        await ReportJourney.NextAsync(browser, form, ReportJourney.WhatHappened(narrative: "<b>\"몰래\"</b> & 촬영 당했습니다"));
        var html = await browser.LastResponse!.Content.ReadAsStringAsync();

        // Assert
        html.ShouldContain("피해 신고하기");
        Regex.IsMatch(html, "&#x(A[C-F]|[BC][0-9A-F]|D[0-7])[0-9A-F]{2};").ShouldBeFalse("no Hangul syllable is written as a character reference");
        html.ShouldContain("&lt;b&gt;&quot;몰래&quot;&lt;/b&gt; &amp; 촬영 당했습니다");
        html.ShouldNotContain("<b>\"몰래");
    }

    [Fact]
    public async Task Landing_page_renders_in_English()
    {
        using var browser = portal.Browser("en");

        var page = await browser.GetAsync("/");

        page.DocumentElement.GetAttribute("lang").ShouldBe("en");
        page.Text().ShouldContain("Report what happened");
        page.Text().ShouldNotContain("피해 신고하기");
    }

    [Fact]
    public async Task Language_switch_remembers_the_choice()
    {
        using var browser = portal.Browser();
        var korean = await browser.GetAsync("/");

        var english = await browser.SubmitAsync(korean, [], formSelector: "form.language-switch", submitName: "culture", submitValue: "en");

        english.Text().ShouldContain("Check my case");
        (await browser.GetAsync("/")).Text().ShouldContain("Check my case");
    }

    [Fact]
    public async Task Quick_exit_is_the_first_focusable_element_and_works_without_script()
    {
        using var browser = portal.Browser();

        var page = await browser.GetAsync("/");

        var first = page.Body!.QuerySelector("a, button, input, select, textarea")!;
        first.Id.ShouldBe("quick-exit");
        // Without script it is a plain link to the exit, which ends the status session and sends the browser on.
        first.GetAttribute("href").ShouldBe("/exit");
        var exit = await browser.GetRawAsync("/exit");
        exit.StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect);
        exit.Headers.Location!.AbsoluteUri.ShouldBe(first.GetAttribute("data-neutral"));
        first.TextContent.ShouldContain("이 페이지 나가기");
        page.QuerySelector("script[src^='/js/quick-exit.js']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Pages_carry_security_headers_and_are_not_cached()
    {
        using var browser = portal.Browser();

        var response = await browser.GetRawAsync("/");

        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
    }
}
