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

    private static string Error(IHtmlDocument page, string field) =>
        page.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent.Trim() ?? "";

    private static string Heading(IHtmlDocument page) => page.QuerySelector("#report-form h2")!.TextContent;

    private static KeyValuePair<string, string>[] StepOneWithout(string field) => [.. ReportJourney.WhatHappened().Where(f => f.Key != field)];

    private static async Task<IHtmlDocument> ContactStepAsync(PortalBrowser browser)
    {
        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), ReportJourney.WhatHappened());
        return await ReportJourney.NextAsync(browser, page, ReportJourney.Safety());
    }

    [Fact]
    public async Task No_crime_type_is_refused_and_the_narrative_and_links_are_kept()
    {
        using var browser = portal.Browser("en");

        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), StepOneWithout("Input.CrimeTypes"));

        Heading(page).ShouldBe("What happened");
        Error(page, "Input.CrimeTypes").ShouldContain("Choose at least one option");
        Value(page, "Input.Narrative").ShouldBe(ReportJourney.Narrative);
        Value(page, "Input.Links").ShouldContain("https://social.example.net/p/1");
    }

    [Fact]
    public async Task A_korean_reader_sees_the_field_error_in_korean()
    {
        using var browser = portal.Browser("ko");

        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), StepOneWithout("Input.CrimeTypes"));

        Error(page, "Input.CrimeTypes").ShouldBe("일어난 일과 가장 가까운 항목을 하나 이상 골라 주세요.");
        page.QuerySelector("#error-summary")!.TextContent.ShouldContain("일어난 일과 가장 가까운 항목을 하나 이상 골라 주세요.");
        Value(page, "Input.Narrative").ShouldBe(ReportJourney.Narrative);
    }

    [Fact]
    public async Task A_date_in_the_future_is_refused_and_the_rest_is_kept()
    {
        using var browser = portal.Browser("en");
        var future = DateOnly.FromDateTime(portal.Clock.GetUtcNow().UtcDateTime.AddDays(3));

        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"),
            [.. StepOneWithout("Input.HappenedOn"), new("Input.HappenedOn", future.ToString("yyyy-MM-dd"))]);

        Heading(page).ShouldBe("What happened");
        Error(page, "Input.HappenedOn").ShouldContain("not in the future");
        Value(page, "Input.Narrative").ShouldBe(ReportJourney.Narrative);
        page.QuerySelector("#Input_CrimeTypes_DistributionWithoutConsent")!.HasAttribute("checked").ShouldBeTrue();
    }

    [Fact]
    public async Task The_future_is_judged_by_the_portals_clock()
    {
        // A date 200 days ahead of the machine's clock is in the past once the portal's clock is 400 days on.
        using var browser = portal.Browser("en");
        var ahead = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(200)).ToString("yyyy-MM-dd");
        var start = await browser.GetAsync("/report");
        portal.Clock.Advance(TimeSpan.FromDays(400));
        try
        {
            var page = await ReportJourney.NextAsync(browser, start, [.. StepOneWithout("Input.HappenedOn"), new("Input.HappenedOn", ahead)]);

            Heading(page).ShouldBe("Your safety");
        }
        finally
        {
            portal.Clock.Advance(TimeSpan.FromDays(-400));
        }
    }

    [Fact]
    public async Task A_malformed_email_is_refused_when_email_contact_is_chosen_and_the_rest_is_kept()
    {
        using var browser = portal.Browser("en");
        var page = await ContactStepAsync(browser);

        page = await ReportJourney.NextAsync(browser, page, [new("Input.Channel", "Email"), new("Input.Email", "me-at-mail.example"), new("Input.Nickname", "Sky")]);

        Heading(page).ShouldBe("Contact and consent");
        Error(page, "Input.Email").ShouldContain("valid e-mail address");
        Value(page, "Input.Email").ShouldBe("me-at-mail.example");
        Value(page, "Input.Nickname").ShouldBe("Sky");
        Value(page, "Input.Narrative").ShouldBe(ReportJourney.Narrative);
    }

    [Fact]
    public async Task Only_one_safe_hour_is_refused_and_the_rest_is_kept()
    {
        using var browser = portal.Browser("en");
        var page = await ContactStepAsync(browser);

        page = await ReportJourney.NextAsync(browser, page, [new("Input.SafeFrom", "18:00"), new("Input.SafeUntil", ""), new("Input.SafeWord", "umbrella")]);

        Heading(page).ShouldBe("Contact and consent");
        Error(page, "Input.SafeUntil").ShouldContain("Enter both times, or neither.");
        Value(page, "Input.SafeFrom").ShouldStartWith("18:00");
        Value(page, "Input.SafeWord").ShouldBe("umbrella");
        Value(page, "Input.Narrative").ShouldBe(ReportJourney.Narrative);
    }

    [Fact]
    public async Task A_nickname_or_safe_word_over_fifty_characters_is_refused_and_the_rest_is_kept()
    {
        using var browser = portal.Browser("en");
        var page = await ContactStepAsync(browser);
        var tooLong = new string('n', 51);

        page = await ReportJourney.NextAsync(browser, page, [new("Input.Nickname", tooLong), new("Input.SafeWord", tooLong), new("Input.Phone", "010-1234-5678")]);

        Heading(page).ShouldBe("Contact and consent");
        Error(page, "Input.Nickname").ShouldContain("under 50 characters");
        Error(page, "Input.SafeWord").ShouldContain("under 50 characters");
        Value(page, "Input.Nickname").ShouldBe(tooLong);
        Value(page, "Input.Phone").ShouldBe("010-1234-5678");
        Value(page, "Input.Narrative").ShouldBe(ReportJourney.Narrative);
    }

    [Fact]
    public async Task A_bad_evidence_hash_is_refused_and_the_rest_is_kept()
    {
        using var browser = portal.Browser("en");

        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"),
            [.. ReportJourney.WhatHappened(), new("Input.Evidence[0].Sha256", "not-a-fingerprint"), new("Input.Evidence[0].Kind", "Other")]);

        Heading(page).ShouldBe("What happened");
        Error(page, "Input.Evidence").ShouldContain("fingerprint (SHA-256)");
        Value(page, "Input.Narrative").ShouldBe(ReportJourney.Narrative);
        Value(page, "Input.Links").ShouldContain("https://video.example.com/watch/abc");
    }

    [Theory]
    [InlineData("en", "Enter the date as year, month and day")]
    [InlineData("ko", "날짜를 연-월-일 형식으로 입력해 주세요")]
    public async Task A_malformed_date_is_a_field_error_in_the_readers_language_and_nothing_else_is_lost(string culture, string message)
    {
        using var browser = portal.Browser(culture);

        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"),
            [.. StepOneWithout("Input.HappenedOn"), new("Input.HappenedOn", "2026-13-45")]);

        page.QuerySelector("input[name='Step']")!.GetAttribute("value").ShouldBe("1");
        Error(page, "Input.HappenedOn").ShouldContain(message);
        Error(page, "Input.HappenedOn").ShouldNotContain("2026-13-45");
        page.QuerySelectorAll("#error-summary li").Length.ShouldBe(1);
        Value(page, "Input.Narrative").ShouldBe(ReportJourney.Narrative);
        Value(page, "Input.Links").ShouldContain("https://video.example.com/watch/abc");
    }

    [Theory]
    [InlineData("en", "Enter the time as hours and minutes", "Choose one of the options shown.")]
    [InlineData("ko", "시간을 시:분 형식으로 입력해 주세요", "보기 중에서 골라 주세요.")]
    public async Task A_malformed_time_or_choice_keeps_the_contact_step_with_messages_in_the_readers_language(string culture, string timeMessage, string choiceMessage)
    {
        using var browser = portal.Browser(culture);
        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), ReportJourney.WhatHappened());
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.Safety());

        page = await ReportJourney.NextAsync(browser, page,
            [new("Input.Channel", "CarrierPigeon"), new("Input.SafeFrom", "25:99"), new("Input.SafeUntil", "21:00"), new("Input.Nickname", "Sky")]);

        page.QuerySelector("input[name='Step']")!.GetAttribute("value").ShouldBe("3");
        Error(page, "Input.SafeFrom").ShouldContain(timeMessage);
        page.QuerySelector("#error-summary")!.TextContent.ShouldContain(choiceMessage);
        page.QuerySelector("#error-summary a[href='#Input_Channel']").ShouldNotBeNull();
        page.QuerySelector("#error-summary")!.TextContent.ShouldNotContain("25:99");
        Value(page, "Input.Nickname").ShouldBe("Sky");
        Value(page, "Input.SafeUntil").ShouldStartWith("21:00");
        Value(page, "Input.Narrative").ShouldBe(ReportJourney.Narrative);
    }

    [Fact]
    public async Task A_safety_answer_that_is_neither_yes_nor_no_is_asked_again_once()
    {
        using var browser = portal.Browser("ko");
        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), ReportJourney.WhatHappened());

        page = await ReportJourney.NextAsync(browser, page, [.. ReportJourney.Safety().Where(f => f.Key != "Input.OngoingThreats"), new("Input.OngoingThreats", "maybe")]);

        page.QuerySelector("input[name='Step']")!.GetAttribute("value").ShouldBe("2");
        page.QuerySelector("[data-valmsg-for='Input.OngoingThreats']")!.TextContent.Trim().ShouldBe("예 또는 아니요로 답해 주세요.");
        page.QuerySelector("#Input_SelfHarmThoughts_no")!.HasAttribute("checked").ShouldBeTrue();
        Value(page, "Input.Narrative").ShouldBe(ReportJourney.Narrative);
    }

    [Fact]
    public async Task A_hand_made_final_post_with_an_unreadable_field_makes_no_case_and_shows_that_step()
    {
        using var browser = portal.Browser("en");
        var review = await ReportJourney.ReviewAsync(browser);
        var before = await portal.WithDbAsync(db => db.Cases.CountAsync());

        var page = await browser.SubmitAsync(review, [new("Input.SafeFrom", "soon")], handler: "Submit");

        page.QuerySelector("#case-reference").ShouldBeNull();
        Heading(page).ShouldBe("Contact and consent");
        Error(page, "Input.SafeFrom").ShouldContain("hours and minutes");
        Value(page, "Input.Nickname").ShouldBe("Sky");
        (await portal.WithDbAsync(db => db.Cases.CountAsync())).ShouldBe(before);
    }

    [Fact]
    public async Task Switching_language_in_the_middle_of_the_report_keeps_the_step_and_everything_typed()
    {
        // Arrange: step one done in Korean, step two answered but not yet sent.
        using var browser = portal.Browser("ko");
        var step2 = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), ReportJourney.WhatHappened());
        var intakeKey = Value(step2, "Input.IntakeKey");
        Heading(step2).ShouldBe("안전 확인");

        // Act
        var english = await ReportJourney.SwitchLanguageAsync(browser, step2, ReportJourney.Safety(threats: true));

        // Assert: the same step, in English, with the answers and step one's fields intact.
        english.DocumentElement.GetAttribute("lang").ShouldBe("en");
        Heading(english).ShouldBe("Your safety");
        english.FieldErrors().ShouldBeEmpty();
        english.QuerySelector("#Input_OngoingThreats_yes")!.HasAttribute("checked").ShouldBeTrue();
        english.QuerySelector("#Input_SelfHarmThoughts_no")!.HasAttribute("checked").ShouldBeTrue();
        english.QuerySelector("#Input_UnderNineteen_no")!.HasAttribute("checked").ShouldBeTrue();
        Value(english, "Input.Narrative").ShouldBe(ReportJourney.Narrative);
        Value(english, "Input.Links").ShouldContain("https://social.example.net/p/1");
        english.QuerySelectorAll("input[name='Input.CrimeTypes']").Select(e => e.GetAttribute("value")).ShouldBe(["IllegalFilming", "DistributionWithoutConsent"], ignoreOrder: true);
        Value(english, "Input.IntakeKey").ShouldBe(intakeKey);

        // The choice is remembered: the next step is in English too, and the report goes on from there.
        var step3 = await ReportJourney.NextAsync(browser, english, []);
        Heading(step3).ShouldBe("Contact and consent");
        step3.QuerySelector("main .crisis").ShouldBeNull();
    }

    [Fact]
    public async Task Switching_language_on_step_one_keeps_the_narrative_being_typed()
    {
        using var browser = portal.Browser("en");
        var start = await browser.GetAsync("/report");

        var korean = await ReportJourney.SwitchLanguageAsync(browser, start, [new("Input.Narrative", "half a sentence"), new("Input.CrimeTypes", "DeepfakeComposite")]);

        korean.DocumentElement.GetAttribute("lang").ShouldBe("ko");
        Heading(korean).ShouldBe("일어난 일");
        Value(korean, "Input.Narrative").ShouldBe("half a sentence");
        korean.QuerySelector("#Input_CrimeTypes_DeepfakeComposite")!.HasAttribute("checked").ShouldBeTrue();
        korean.FieldErrors().ShouldBeEmpty();
    }

    [Fact]
    public async Task Enter_in_a_field_still_means_next_although_the_language_switch_comes_first()
    {
        // The form's default button (what Enter presses) is its first submit button in the page, the header included.
        using var browser = portal.Browser("en");

        var page = await browser.GetAsync("/report");

        var form = (AngleSharp.Html.Dom.IHtmlFormElement)page.GetElementById("report-form")!;
        form.GetAttribute("action")!.ShouldContain("handler=Next");
        var first = page.QuerySelectorAll("button[type='submit']")
            .First(b => b.GetAttribute("form") == "report-form" || b.Closest("form")?.Id == "report-form");
        first.HasAttribute("formaction").ShouldBeFalse();
        first.GetAttribute("aria-hidden").ShouldBe("true");
    }
}
