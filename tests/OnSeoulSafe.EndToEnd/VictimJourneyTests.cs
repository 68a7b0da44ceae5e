using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Playwright;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.EndToEnd.Support;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.EndToEnd;

/// <summary>
/// One case from start to finish in the browser: a victim reports on a phone in Korean, a manager assigns the case,
/// the companion works on it, the victim reads the result and the manager's dashboard moves.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class VictimJourneyTests(PortalServer portal)
{
    private const int PhoneWidth = 390;
    private const int PhoneHeight = 844;

    [Fact]
    public async Task A_report_filed_on_a_phone_is_assigned_worked_on_and_read_back_by_the_victim()
    {
        // Arrange: the manager's dashboard before the report.
        var manager = await portal.NewPageAsync();
        await portal.SignInAsync(manager, StaffRoles.Manager);
        var openBefore = await OpenCasesAsync(manager);

        // Act 1: the victim reports on a phone, in Korean, and opens the status page with the reference and code.
        var victim = await portal.NewPageAsync("ko-KR", PhoneWidth, PhoneHeight);
        var (reference, code) = await Intake.FileAsync(victim);
        reference.ShouldMatch(@"^SDS-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$");
        await Intake.OpenStatusAsync(victim, reference, code);
        (await victim.Locator("#case-status").InnerTextAsync()).ShouldBe(Korean(DomainLabel(CaseStatus.Triaged)));

        // Act 2: the manager assigns it from the intake queue.
        var companionAccount = DemoData.Accounts.First(a => a.Role == StaffRoles.Companion);
        await manager.GotoAsync("/intake");
        await manager.Locator("#intake-queue tr", new PageLocatorOptions { HasText = reference }).GetByRole(AriaRole.Link).ClickAsync();
        await manager.WaitForURLAsync($"**/intake/assign/{reference.ToLowerInvariant()}");
        await manager.Locator($"#c-{await portal.StaffIdAsync(companionAccount.Email)}").CheckAsync();
        await manager.Locator("#assign-form button[type=submit]").ClickAsync();
        await manager.WaitForURLAsync(url => !url.Contains("/assign/", StringComparison.Ordinal));

        // Act 3: the companion opens the file, logs a police accompaniment and writes to the victim.
        var companion = await portal.NewPageAsync();
        await portal.SignInAsync(companion, StaffRoles.Companion);
        await companion.GotoAsync($"/cases/{reference.ToLowerInvariant()}");
        (await companion.Locator("main").InnerTextAsync()).ShouldContain(Intake.Narrative);
        await companion.GotoAsync($"/cases/{reference.ToLowerInvariant()}/tracks/investigation");
        await companion.Locator("#Activity_Kind").SelectOptionAsync(nameof(TimelineEventKind.Accompaniment));
        await companion.Locator("#Activity_OccurredAt").FillAsync("2026-11-20T10:00");
        await companion.Locator("#Activity_DurationMinutes").FillAsync("90");
        await companion.Locator("#Activity_Place").FillAsync("서울 마포경찰서");
        await companion.Locator("#Activity_WarningsRead").CheckAsync();
        await companion.Locator("#activity-form button[type=submit]").ClickAsync();
        await companion.Locator("main li", new PageLocatorOptions { HasText = "서울 마포경찰서" }).WaitForAsync();
        var linkStatus = await DeletionStepAsync(companion, reference);
        await companion.GotoAsync($"/cases/{reference.ToLowerInvariant()}");
        const string message = "안녕하세요, 담당 동행자입니다. 내일 경찰서에 함께 가요.";
        await companion.Locator("#Reply_Body").FillAsync(message);
        await companion.Locator("#reply-form button[type=submit]").ClickAsync();
        await companion.Locator(".messages li", new PageLocatorOptions { HasText = message }).WaitForAsync();

        // Assert: the victim reads the message and the progress of every link; the dashboard moved.
        await victim.ReloadAsync();
        (await victim.Locator("#messages").InnerTextAsync()).ShouldContain(message);
        (await victim.Locator("#companion-name").InnerTextAsync()).ShouldContain(companionAccount.FirstName);
        var progress = await victim.Locator("#deletion-progress li").AllInnerTextsAsync();
        progress.Count.ShouldBe(Intake.Links.Length);
        progress.ShouldAllBe(line => line.Contains(Korean(DomainLabel(linkStatus))));
        (await OpenCasesAsync(manager)).ShouldBe(openBefore + 1);
    }

    /// <summary>
    /// The companion's deletion work on the case's links, returning the status the victim should then read. Asking
    /// the platforms happens on the case's deletion ledger page; until that page is in place the links stay as found.
    /// </summary>
    /// <summary>The companion asks the platforms to delete every link of the case from the ledger page.</summary>
    private static async Task<ContentStatus> DeletionStepAsync(IPage companion, string reference)
    {
        await companion.GotoAsync($"/cases/{reference.ToLowerInvariant()}/deletion");
        await companion.Locator("button[name=scope][value=all]").ClickAsync();
        await companion.Locator("textarea[id^=request-text-]").First.WaitForAsync();
        (await companion.Locator("textarea[id^=request-text-]").First.InputValueAsync()).ShouldContain(reference);
        return ContentStatus.Requested;
    }

    private static async Task<int> OpenCasesAsync(IPage manager)
    {
        await manager.GotoAsync("/dashboard");
        return int.Parse(await manager.Locator("#open-total").InnerTextAsync(), CultureInfo.InvariantCulture);
    }

    private string DomainLabel(Enum value)
    {
        using var scope = portal.Services.CreateScope();
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = PortalLocalization.Korean;
        try
        {
            return scope.ServiceProvider.GetRequiredService<IStringLocalizer<DomainText>>().Label(value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private static string Korean(string text) => text.Trim();
}
