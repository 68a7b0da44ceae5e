using System.Globalization;
using Microsoft.EntityFrameworkCore;
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
        string? reviewedPhone = null;
        IReadOnlyList<string> reviewedLinks = [];
        var (reference, code) = await Intake.FileAsync(victim, async (page, step) =>
        {
            if (step != "report-4") return;
            reviewedPhone = (await page.Locator("#review-phone").InnerTextAsync()).Trim();
            reviewedLinks = await page.Locator("#review-links li").AllInnerTextsAsync();
        });
        reviewedPhone.ShouldBe("010-1234-5678");
        reviewedLinks.Select(l => l.Trim()).ShouldBe(Intake.Links);
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
        var accompanimentAt = KoreaTime.ToKorea(portal.Clock.GetUtcNow().AddDays(1));
        await companion.Locator("#Activity_OccurredAt").FillAsync(accompanimentAt.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await companion.Locator("#Activity_DurationMinutes").FillAsync("90");
        await companion.Locator("#Activity_Place").FillAsync("서울 마포경찰서");
        // An accompaniment is not a contact by phone or visit: the safe-contact tick is hidden and not asked for.
        (await companion.Locator("#Activity_WarningsRead").IsVisibleAsync()).ShouldBeFalse();
        await companion.Locator("#activity-form button[type=submit]").ClickAsync();
        await companion.Locator("main li", new PageLocatorOptions { HasText = "서울 마포경찰서" }).WaitForAsync();
        // A home visit two days ahead, logged on the daily-life recovery track.
        var visitAt = KoreaTime.ToKorea(portal.Clock.GetUtcNow().AddDays(2));
        await companion.GotoAsync($"/cases/{reference.ToLowerInvariant()}/tracks/dailyliferecovery");
        await companion.Locator("#Activity_Kind").SelectOptionAsync(nameof(TimelineEventKind.HomeVisit));
        await companion.Locator("#Activity_OccurredAt").FillAsync(visitAt.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await companion.Locator("#Activity_DurationMinutes").FillAsync("60");
        await companion.Locator("#Activity_Place").FillAsync("자택");
        await companion.Locator("#Activity_WarningsRead").CheckAsync();
        await companion.Locator("#activity-form button[type=submit]").ClickAsync();
        await companion.Locator("main li", new PageLocatorOptions { HasText = "자택" }).WaitForAsync();
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

        // The schedule shows the home visit; a service she never agreed to says so.
        (await victim.Locator("#appointments").InnerTextAsync()).ShouldContain(visitAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " · 가정 방문");
        (await victim.Locator("#service-progress tr", new PageLocatorOptions { HasText = Korean(DomainLabel(ServiceTrackKind.Legal)) }).InnerTextAsync()).ShouldContain("동의하지 않음");

        // Who opened her file: one line per person and day, with the count the access log holds.
        var readerLines = await victim.Locator("#readers li").AllInnerTextsAsync();
        readerLines.Distinct().Count().ShouldBe(readerLines.Count);
        var companionLines = readerLines.Where(l => l.Contains(companionAccount.FirstName, StringComparison.Ordinal)).ToList();
        var shownReads = companionLines.Sum(l => int.Parse(System.Text.RegularExpressions.Regex.Match(l, @"(\d+)회 열람").Groups[1].Value, CultureInfo.InvariantCulture));
        shownReads.ShouldBe(await CompanionReadsAsync(reference, companionAccount.Email));
        shownReads.ShouldBeGreaterThan(companionLines.Count);

        // She reads again what she wrote.
        await victim.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "내가 쓴 내용" }).ClickAsync();
        (await victim.Locator("#narrative-text").InnerTextAsync()).ShouldBe(Intake.Narrative);

        // She asks once to have her personal data destroyed, reads what stays, then changes her mind.
        await victim.GotoAsync("/status/withdraw");
        (await victim.Locator("#erasure-explained").InnerTextAsync()).ShouldContain("남는 것");
        await victim.Locator("#ConfirmErasure").CheckAsync();
        await victim.Locator("#erase-form button[type=submit]").ClickAsync();
        await victim.Locator("#case-status").WaitForAsync();
        await victim.GotoAsync("/status/withdraw");
        await victim.Locator("#cancel-erasure-form button[type=submit]").ClickAsync();
        (await victim.Locator(".alert-success").InnerTextAsync()).ShouldContain("파기 요청을 취소했어요");
        await victim.GotoAsync("/status/withdraw");
        (await victim.Locator("#erasure-status").InnerTextAsync()).ShouldContain("취소됨");
    }

    private async Task<int> CompanionReadsAsync(string reference, string email)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OnSeoulSafe.Cases.Data.PortalDbContext>();
        var caseId = await db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync();
        var staffId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        return await db.AccessLog.CountAsync(e => e.CaseId == caseId && e.StaffId == staffId
            && (e.Action == AccessAction.View || e.Action == AccessAction.Edit || e.Action == AccessAction.Export));
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
