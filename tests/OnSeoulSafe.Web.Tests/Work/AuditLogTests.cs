using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Work;

/// <summary>The access log as an auditor works it: past the first 500 rows, exported, in words and in Korean.</summary>
public sealed class AuditLogTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const int Entries = 520;
    private string _reference = "";

    public async Task InitializeAsync()
    {
        await portal.SeedDemoAsync();
        _reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion);
        var caseId = await portal.CaseIdAsync(_reference);
        var companion = await portal.StaffIdAsync(CompanionWorld.Companion);
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var start = DateTimeOffset.UtcNow.AddDays(-3);
        for (var i = 0; i < Entries; i++)
        {
            CaseAccessLog.Record(db, start.AddMinutes(i), companion, StaffRoles.Companion, caseId, AccessAction.View, "/Cases/File");
        }
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private int CaseRows(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll("#access-log tbody tr").Count(tr => tr.TextContent.Contains(_reference, StringComparison.Ordinal));

    [Fact]
    public async Task An_auditor_pages_past_the_first_500_entries_and_sees_what_was_opened_in_words()
    {
        // Arrange
        using var auditor = await portal.SignInAsync(CompanionWorld.Auditor);

        // Act
        var first = await auditor.GetAsync("/audit?Search.Reference=" + _reference);
        var second = await auditor.GetAsync(first.QuerySelector("#older-page")!.GetAttribute("href")!);

        // Assert
        CaseRows(first).ShouldBe(500);
        CaseRows(second).ShouldBeGreaterThanOrEqualTo(Entries - 500);
        second.QuerySelector("#older-page").ShouldBeNull();
        second.QuerySelector("#newer-page").ShouldNotBeNull();
        first.QuerySelectorAll("#access-log tbody tr td.what-words").ShouldAllBe(td => td.TextContent.Trim() == "The case file");
    }

    [Fact]
    public async Task The_export_holds_every_entry_of_the_search_with_roles_and_pages_in_words()
    {
        // Arrange
        using var auditor = await portal.SignInAsync(CompanionWorld.Auditor);
        var page = await auditor.GetAsync("/audit?Search.Reference=" + _reference);

        // Act
        var response = await auditor.GetRawAsync(page.QuerySelector("#audit-csv")!.GetAttribute("href")!);
        var csv = await response.Content.ReadAsStringAsync();

        // Assert
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Count(l => l.Contains(_reference, StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(Entries);
        lines.First(l => l.Contains(_reference, StringComparison.Ordinal)).ShouldContain("Companion,");
        lines.First(l => l.Contains(_reference, StringComparison.Ordinal)).ShouldContain("The case file,/Cases/File");
        csv.ShouldNotContain("narrative");
    }

    [Fact]
    public async Task Role_names_and_pages_are_Korean_on_the_Korean_page()
    {
        // Arrange
        using var auditor = await portal.SignInAsync(CompanionWorld.Auditor, culture: "ko");

        // Act
        var page = await auditor.GetAsync("/audit?Search.Reference=" + _reference);

        // Assert
        var row = page.QuerySelectorAll("#access-log tbody tr").First(tr => tr.TextContent.Contains(_reference, StringComparison.Ordinal));
        row.QuerySelectorAll("td")[2].TextContent.Trim().ShouldBe("동행지원관");
        row.QuerySelector("td.what-words")!.TextContent.Trim().ShouldBe("사례 파일");
    }

    [Fact]
    public async Task A_date_range_that_ends_before_it_starts_gets_a_clear_message_not_an_empty_list()
    {
        // Arrange
        using var auditor = await portal.SignInAsync(CompanionWorld.Auditor);

        // Act
        var page = await auditor.GetAsync("/audit?Search.From=2026-03-20&Search.To=2026-03-10");

        // Assert
        page.FieldErrors().ShouldContain("The end date is before the start date. Choose an end date on or after 2026-03-20.");
        page.Text().ShouldNotContain("No entries match.");
        page.QuerySelector("#to")!.GetAttribute("value").ShouldBe("2026-03-10", "the dates typed stay");
    }
}
