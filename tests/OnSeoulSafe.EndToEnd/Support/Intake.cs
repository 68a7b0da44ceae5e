using Microsoft.Playwright;

namespace OnSeoulSafe.EndToEnd.Support;

/// <summary>The victim's side in a browser: the four intake steps, the receipt, and the status page.</summary>
public static class Intake
{
    public const string Narrative = "모르는 사람이 동의 없이 저를 촬영해서 인터넷에 올렸습니다. 도와주세요.";
    public static readonly string[] Links = ["https://video.example.com/watch/abc", "https://social.example.net/p/1"];

    /// <summary>Called after each step is on screen (screenshots, axe), with the step's name.</summary>
    public delegate Task StepShown(IPage page, string step);

    /// <summary>Files a report; with <paramref name="evidence"/>, picks that file in the evidence field and waits for its fingerprint.</summary>
    public static async Task<(string Reference, string Code)> FileAsync(IPage page, StepShown? shown = null, FilePayload? evidence = null)
    {
        shown ??= (_, _) => Task.CompletedTask;
        await page.GotoAsync("/report");
        await shown(page, "report-1");
        await page.Locator("#Input_CrimeTypes_IllegalFilming").CheckAsync();
        await page.Locator("#Input_CrimeTypes_DistributionWithoutConsent").CheckAsync();
        await page.Locator("#Input_Narrative").FillAsync(Narrative);
        await page.Locator("#Input_Links").FillAsync(string.Join("\n", Links));
        if (evidence is not null)
        {
            await page.Locator("[data-evidence-file]").SetInputFilesAsync(evidence);
            await page.Locator("input[type=hidden][name='Input.Evidence[0].Sha256']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        }
        await NextAsync(page, 2);

        await shown(page, "report-2");
        foreach (var question in new[] { "SelfHarmThoughts", "OngoingThreats", "OffenderKnowsAddress", "UnderNineteen" })
        {
            await page.Locator($"#Input_{question}_no").CheckAsync();
        }
        await NextAsync(page, 3);

        await shown(page, "report-3");
        await page.Locator("#Input_Channel_Text").CheckAsync();
        await page.Locator("#Input_Phone").FillAsync("010-1234-5678");
        await page.Locator("#Input_Consents_Investigation").CheckAsync();
        await page.Locator("#Input_Consents_Deletion").CheckAsync();
        await page.Locator("#Input_Nickname").FillAsync("하늘");
        await NextAsync(page, 4);

        await shown(page, "report-4");
        await page.Locator("button[formaction*='handler=Submit']").ClickAsync();
        await page.Locator("#case-reference").WaitForAsync();
        await shown(page, "report-done");
        return ((await page.Locator("#case-reference").InnerTextAsync()).Trim(), (await page.Locator("#access-code").InnerTextAsync()).Trim());
    }

    public static async Task OpenStatusAsync(IPage page, string reference, string code, StepShown? shown = null)
    {
        await page.GotoAsync("/status");
        if (shown is not null) await shown(page, "status-sign-in");
        await page.Locator("#Input_Reference").FillAsync(reference);
        await page.Locator("#Input_Code").FillAsync(code);
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.Locator("#case-status").WaitForAsync();
    }

    private static async Task NextAsync(IPage page, int step)
    {
        await page.Locator("button[formaction*='handler=Next']").ClickAsync();
        await page.Locator($"input[name=Step][value='{step}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
    }
}
