using AngleSharp.Html.Dom;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>Fills in the intake wizard step by step, as a victim would.</summary>
public static class ReportJourney
{
    public const string Narrative = "He filmed me without my consent and posted it. 그가 동의 없이 촬영해 올렸습니다.";

    public static KeyValuePair<string, string>[] WhatHappened(string narrative = Narrative, string links = "https://video.example.com/watch/abc\nhttps://social.example.net/p/1") =>
    [
        new("Input.CrimeTypes", "IllegalFilming"),
        new("Input.CrimeTypes", "DistributionWithoutConsent"),
        new("Input.Narrative", narrative),
        new("Input.HappenedOn", "2026-10-01"),
        new("Input.Links", links),
    ];

    public static KeyValuePair<string, string>[] Safety(bool selfHarm = false, bool threats = false, bool address = false, bool minor = false) =>
    [
        new("Input.SelfHarmThoughts", selfHarm ? "true" : "false"),
        new("Input.OngoingThreats", threats ? "true" : "false"),
        new("Input.OffenderKnowsAddress", address ? "true" : "false"),
        new("Input.UnderNineteen", minor ? "true" : "false"),
    ];

    public static KeyValuePair<string, string>[] Contact() =>
    [
        new("Input.Channel", "Text"),
        new("Input.Phone", "010-1234-5678"),
        new("Input.SafeFrom", "18:00"),
        new("Input.SafeUntil", "21:00"),
        new("Input.SafeWord", "umbrella"),
        new("Input.Consents", "Investigation"),
        new("Input.Consents", "Deletion"),
        new("Input.Nickname", "Sky"),
    ];

    public static Task<IHtmlDocument> NextAsync(PortalBrowser browser, IHtmlDocument page, IEnumerable<KeyValuePair<string, string>> fields) =>
        browser.SubmitAsync(page, fields, handler: "Next");

    /// <summary>Walks all steps and returns the review page (step 4), not yet submitted.</summary>
    public static async Task<IHtmlDocument> ReviewAsync(PortalBrowser browser, bool selfHarm = false, bool minor = false, string? links = null, bool threats = false, bool address = false)
    {
        var page = await browser.GetAsync("/report");
        page = await NextAsync(browser, page, links is null ? WhatHappened() : WhatHappened(links: links));
        page = await NextAsync(browser, page, Safety(selfHarm: selfHarm, threats: threats, address: address, minor: minor));
        page = await NextAsync(browser, page, Contact());
        return page;
    }

    public static Task<IHtmlDocument> SendAsync(PortalBrowser browser, IHtmlDocument review) =>
        browser.SubmitAsync(review, [], handler: "Submit");

    /// <summary>Files a complete report and returns (reference, code).</summary>
    public static async Task<(string Reference, string Code)> FileAsync(PortalBrowser browser, bool selfHarm = false, bool minor = false, bool threats = false, bool address = false)
    {
        var done = await SendAsync(browser, await ReviewAsync(browser, selfHarm, minor, threats: threats, address: address));
        return (done.QuerySelector("#case-reference")!.TextContent.Trim(), done.QuerySelector("#access-code")!.TextContent.Trim());
    }

    /// <summary>
    /// Presses the header's language switch on a wizard page, as a browser does: the switch button belongs to the
    /// report form (its <c>form</c> attribute), so the form's fields, with <paramref name="typed"/> over them, go along.
    /// </summary>
    public static Task<IHtmlDocument> SwitchLanguageAsync(PortalBrowser browser, IHtmlDocument page, IEnumerable<KeyValuePair<string, string>> typed)
    {
        var button = page.QuerySelector("header button[name='culture'][formaction]")
            ?? throw new InvalidOperationException("The language switch does not post the report form.");
        var form = (IHtmlFormElement)page.GetElementById(button.GetAttribute("form")!)!;
        var values = PortalBrowser.CurrentValues(form);
        foreach (var group in typed.GroupBy(f => f.Key))
        {
            values.RemoveAll(v => v.Key == group.Key);
            values.AddRange(group);
        }
        values.Add(new("culture", button.GetAttribute("value")!));
        return browser.PostAsync(button.GetAttribute("formaction")!, values);
    }

    public static async Task<IHtmlDocument> OpenStatusAsync(PortalBrowser browser, string reference, string code)
    {
        var page = await browser.GetAsync("/status");
        return await browser.SubmitAsync(page, [new("Input.Reference", reference), new("Input.Code", code)]);
    }
}
