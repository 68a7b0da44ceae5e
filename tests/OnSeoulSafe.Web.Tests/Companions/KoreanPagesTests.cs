using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Audit;
using OnSeoulSafe.Web.Tests.Ground;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Companions;

/// <summary>
/// The companions', managers', auditors' and monitors' pages in Korean: every text they look up has a Korean entry
/// (the portal records each lookup that fell back to English), with data on the page so its tables and badges render.
/// </summary>
public sealed class KoreanPagesTests(MissingTranslationsPortal portal) : IClassFixture<MissingTranslationsPortal>, IAsyncLifetime
{
    private string _reference = "";
    private string _glassReference = "";

    public async Task InitializeAsync()
    {
        await portal.SeedDemoAsync();
        var now = DateTimeOffset.UtcNow;
        var contact = new SafeContact(ContactChannel.Phone, "010-1234-5678", null, new TimeOnly(18, 0), new TimeOnly(21, 0), false, null);
        // An emergency case of a minor with an active track (the close page's warning) and an appointment (the agenda).
        _reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion, risk: new RiskScreening(false, false, false, true), contact: contact,
            more: (c, companion) =>
            {
                c.LogActivity(ServiceTrackKind.Legal, TimelineEventKind.Appointment, companion!.Id, now.AddDays(2), "법원", 60, null, now);
                c.LogActivity(ServiceTrackKind.Investigation, TimelineEventKind.Call, companion.Id, now.AddDays(-1), null, 5, null, now);
            });
        _glassReference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.OtherCompanion);

        // Every kind of access-log row, and an account flagged for unusual access.
        await portal.BreakTheGlassAsync(CompanionWorld.Manager, _glassReference, "The companion is on leave today.");
        await using (var scope = portal.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var caseId = await portal.CaseIdAsync(_reference);
            var companionId = await portal.StaffIdAsync(CompanionWorld.Companion);
            foreach (var action in Enum.GetValues<AccessAction>())
            {
                CaseAccessLog.Record(db, now, companionId, StaffRoles.Companion, caseId, action, "/Cases/File");
            }
            CaseAccessLog.RecordVictim(db, now, caseId, AccessAction.View, "/Status/Case");
            CaseAccessLog.Record(db, now, Guid.NewGuid(), StaffRoles.Companion, caseId, AccessAction.Denied, "/Cases/File");
            await db.SaveChangesAsync();
        }
        await portal.WriteEntriesAsync(31, await portal.StaffIdAsync(CompanionWorld.OtherCompanion), i => 90_000 + i, i => portal.Clock.GetUtcNow().AddMinutes(-5).AddSeconds(i));

        // A citizen monitor's report waiting for triage.
        using var monitor = await portal.SignInAsync(CompanionWorld.Monitor);
        var form = await monitor.GetAsync("/monitor/report");
        await monitor.SubmitAsync(form, [new("Input.Url", "https://video.example.com/watch/korean-page-test"), new("Input.Kind", "Video"), new("Input.Note", "단체 대화방")], "#monitor-report");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public enum Who { Companion, Manager, Auditor, Admin, Monitor }

    public static TheoryData<string, Who> Pages() => new()
    {
        { "/cases", Who.Companion },
        { "/cases/agenda", Who.Companion },
        { "/cases/{case}/close", Who.Companion },
        { "/cases/{glass}/break-the-glass", Who.Manager },
        { "/audit", Who.Auditor },
        { "/intake/monitor-reports", Who.Manager },
        { "/admin/partners", Who.Admin },
        { "/monitor", Who.Monitor },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_page_renders_in_Korean_with_no_text_missing_a_Korean_entry(string path, Who who)
    {
        // Arrange
        using var browser = await portal.SignInAsync(AccountOf(who), "ko");
        var url = path.Replace("{case}", _reference.ToLowerInvariant(), StringComparison.Ordinal).Replace("{glass}", _glassReference.ToLowerInvariant(), StringComparison.Ordinal);
        var missing = portal.Services.GetRequiredService<MissingTranslations>();
        missing.Clear();

        // Act
        var page = await browser.GetAsync(url);

        // Assert
        page.DocumentElement.GetAttribute("lang").ShouldBe("ko");
        page.QuerySelector("h1")!.TextContent.ShouldMatch(@"\p{IsHangulSyllables}", $"the heading of {url} is in Korean");
        missing.Keys.ShouldBeEmpty($"texts on {url} without a Korean entry");
    }

    [Fact]
    public async Task The_data_the_Korean_pages_were_checked_with_was_on_them()
    {
        // The tables must have rendered, or the lookups inside them were never made.
        using var companion = await portal.SignInAsync(CompanionWorld.Companion, "ko");
        (await companion.GetAsync("/cases")).QuerySelectorAll("#my-cases tbody tr").Length.ShouldBeGreaterThan(0);
        (await companion.GetAsync("/cases/agenda")).Text().ShouldContain("법원");
        using var auditor = await portal.SignInAsync(CompanionWorld.Auditor, "ko");
        var audit = await auditor.GetAsync("/audit");
        audit.QuerySelector("#unusual-access").ShouldNotBeNull();
        audit.QuerySelectorAll("#access-log tbody tr").Length.ShouldBeGreaterThan(Enum.GetValues<AccessAction>().Length);
        using var manager = await portal.SignInAsync(CompanionWorld.Manager, "ko");
        (await manager.GetAsync("/intake/monitor-reports")).Text().ShouldContain("korean-page-test");
        using var monitor = await portal.SignInAsync(CompanionWorld.Monitor, "ko");
        (await monitor.GetAsync("/monitor")).Text().ShouldContain("korean-page-test");
    }

    [Fact]
    public async Task Refused_closing_and_break_the_glass_forms_answer_in_Korean()
    {
        // Arrange
        using var companion = await portal.SignInAsync(CompanionWorld.Companion, "ko");
        using var manager = await portal.SignInAsync(CompanionWorld.Manager, "ko");
        var close = await companion.GetAsync($"/cases/{_reference.ToLowerInvariant()}/close");
        var glass = await manager.GetAsync($"/cases/{_glassReference.ToLowerInvariant()}/break-the-glass");
        var missing = portal.Services.GetRequiredService<MissingTranslations>();
        missing.Clear();

        // Act
        var refusedClose = await companion.SubmitAsync(close, [new("Input.Outcome", "NoFurtherSupportWanted")], formSelector: "#close-form");
        var refusedGlass = await manager.SubmitAsync(glass, [new("Input.Reason", "짧음")], formSelector: "#break-the-glass-form");

        // Assert
        refusedClose.FieldErrors().ShouldNotBeEmpty();
        refusedGlass.FieldErrors().ShouldNotBeEmpty();
        refusedClose.FieldErrors().Concat(refusedGlass.FieldErrors()).ShouldAllBe(e => System.Text.RegularExpressions.Regex.IsMatch(e, @"\p{IsHangulSyllables}"));
        missing.Keys.ShouldBeEmpty();
    }

    [Fact]
    public async Task Roles_waiting_times_and_languages_are_written_in_Korean()
    {
        // Arrange: a case in Korean waiting five hours for a companion.
        var waiting = await portal.OpenCaseAsync("waiting narrative", openedAt: portal.Clock.GetUtcNow().AddHours(-5).AddMinutes(-10));
        using var manager = await portal.SignInAsync(CompanionWorld.Manager, "ko");
        using var companion = await portal.SignInAsync(CompanionWorld.Companion, "ko");

        // Act
        var queue = await manager.GetAsync("/intake");
        var assign = await manager.GetAsync($"/intake/assign/{waiting.ToLowerInvariant()}");
        var file = await companion.GetAsync(CompanionWorld.FileUrl(_reference));
        var home = await companion.GetAsync("/staff");
        using var auditor = await portal.SignInAsync(CompanionWorld.Auditor, "ko");
        var audit = await auditor.GetAsync("/audit");

        // Assert
        var row = queue.QuerySelectorAll("#intake-queue tbody tr").Single(r => r.TextContent.Contains(waiting, StringComparison.Ordinal));
        var cells = row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        cells[2].ShouldStartWith("5시간");
        cells[3].ShouldBe("한국어");
        assign.QuerySelectorAll("#assign-form label").Select(l => l.TextContent).ShouldAllBe(t => !System.Text.RegularExpressions.Regex.IsMatch(t, @"\b(ko|en)\b"));
        assign.QuerySelectorAll("#assign-form label").ShouldContain(l => l.TextContent.Contains("한국어"));
        assign.Text().ShouldContain("한국어");
        file.QuerySelectorAll("dd").Select(d => d.TextContent.Trim()).ShouldContain("한국어");
        file.QuerySelectorAll("dd").Select(d => d.TextContent.Trim()).ShouldNotContain("ko");
        home.QuerySelector("main p")!.TextContent.ShouldBe("역할: 동행지원관");
        var roles = audit.QuerySelectorAll("#access-log tbody tr").Select(r => r.QuerySelectorAll("td")[2].TextContent.Trim()).ToList();
        roles.ShouldContain("동행지원관");
        roles.ShouldContain("피해자");
        roles.ShouldAllBe(r => System.Text.RegularExpressions.Regex.IsMatch(r, @"^\p{IsHangulSyllables}[\p{IsHangulSyllables} ]*$"));
    }

    [Fact]
    public async Task Sentences_are_written_for_each_value_with_no_particle_hacks_or_zero_counts()
    {
        // Arrange
        using var companion = await portal.SignInAsync(CompanionWorld.Companion, "ko");
        var segment = _reference.ToLowerInvariant();
        var ledger = await companion.GetAsync($"/cases/{segment}/deletion");

        // Act: a track's status buttons, and links added with none already on the case.
        var track = await companion.GetAsync($"/cases/{segment}/tracks/medical");
        var added = await companion.SubmitAsync(ledger, [new("Add.Links", "https://video.example.com/watch/only-new-words"), new("Add.Kind", "Video")], formSelector: "#add-form", handler: "Add");

        // Assert
        var buttons = track.QuerySelectorAll("#status-form button").Select(b => b.TextContent.Trim()).ToList();
        buttons.ShouldNotBeEmpty();
        buttons.ShouldAllBe(b => System.Text.RegularExpressions.Regex.IsMatch(b, @"^[^()]+(으로|로) 변경$"));
        buttons.ShouldContain("진행 중으로 변경");
        added.QuerySelector("#done")!.TextContent.Trim().ShouldBe("링크 1개를 추가했습니다.");
    }

    private static DemoData.DemoAccount AccountOf(Who who) => who switch
    {
        Who.Companion => CompanionWorld.Companion,
        Who.Manager => CompanionWorld.Manager,
        Who.Auditor => CompanionWorld.Auditor,
        Who.Admin => CompanionWorld.Admin,
        _ => CompanionWorld.Monitor,
    };
}
