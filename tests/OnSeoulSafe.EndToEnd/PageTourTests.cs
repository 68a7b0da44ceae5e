using Microsoft.Playwright;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.EndToEnd.Support;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.EndToEnd;

/// <summary>
/// Every main page, in Korean and in English: no serious or critical axe-core violation, no English-only text on a
/// Korean page, and a screenshot of each under tests/OnSeoulSafe.EndToEnd/screenshots/.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PageTourTests(PortalServer portal)
{
    // Data, not wording: Latin names of demo staff and platforms, example addresses.
    private static readonly string[] DataInKorean = ["example", "Minho", "Hana", "Doyun", "Seo"];

    private readonly List<string> _problems = [];

    [Theory]
    [InlineData("ko")]
    [InlineData("en")]
    public async Task Every_main_page_is_accessible_translated_and_photographed(string language)
    {
        // Victim pages on a phone.
        var victim = await portal.NewPageAsync(language == "ko" ? "ko-KR" : "en-US", 390, 844);
        await victim.GotoAsync("/");
        await VisitAsync(victim, language, "landing");
        var (reference, code) = await Intake.FileAsync(victim, (page, step) => VisitAsync(page, language, step));
        await Intake.OpenStatusAsync(victim, reference, code, (page, step) => VisitAsync(page, language, step));
        await VisitAsync(victim, language, "status-case");

        // Staff pages on a laptop.
        var manager = await portal.NewPageAsync(language == "ko" ? "ko-KR" : "en-US");
        await manager.GotoAsync("/account/login");
        await VisitAsync(manager, language, "staff-sign-in");
        await portal.SignInAsync(manager, StaffRoles.Manager);
        await manager.GotoAsync("/intake");
        await VisitAsync(manager, language, "intake-queue");
        await manager.GotoAsync($"/intake/assign/{reference.ToLowerInvariant()}");
        await VisitAsync(manager, language, "intake-assign");
        var companionAccount = DemoData.Accounts.First(a => a.Role == StaffRoles.Companion);
        await manager.Locator($"#c-{await portal.StaffIdAsync(companionAccount.Email)}").CheckAsync();
        await manager.Locator("#assign-form button[type=submit]").ClickAsync();
        await manager.WaitForURLAsync(url => !url.Contains("/assign/", StringComparison.Ordinal));
        await manager.GotoAsync("/dashboard");
        await VisitAsync(manager, language, "dashboard");
        await manager.GotoAsync("/cases/deletion-queue");
        await VisitAsync(manager, language, "deletion-queue");

        var companion = await portal.NewPageAsync(language == "ko" ? "ko-KR" : "en-US");
        await portal.SignInAsync(companion, StaffRoles.Companion);
        await companion.GotoAsync($"/cases/{reference.ToLowerInvariant()}");
        await VisitAsync(companion, language, "case-file");
        await companion.GotoAsync($"/cases/{reference.ToLowerInvariant()}/tracks/investigation");
        await VisitAsync(companion, language, "case-track");

        var monitor = await portal.NewPageAsync(language == "ko" ? "ko-KR" : "en-US");
        await portal.SignInAsync(monitor, StaffRoles.Monitor);
        await monitor.GotoAsync("/monitor/report");
        await VisitAsync(monitor, language, "monitor-report");

        if (language == "ko")
        {
            foreach (var key in portal.MissingTranslations.Keys) _problems.Add($"no Korean text for {key}");
        }
        _problems.ShouldBeEmpty(string.Join("\n", _problems));
    }

    private async Task VisitAsync(IPage page, string language, string name)
    {
        (await page.Locator("html").GetAttributeAsync("lang")).ShouldBe(language, $"{name} is not in {language}");
        await Screens.SaveAsync(page, $"{language}-{name}");
        foreach (var violation in await Axe.SeriousViolationsAsync(page)) _problems.Add($"{name} ({language}) axe: {violation}");
        if (language == "ko")
        {
            foreach (var phrase in await KoreanText.EnglishPhrasesAsync(page, DataInKorean)) _problems.Add($"{name} (ko) shows English: \"{phrase}\"");
        }
    }
}
