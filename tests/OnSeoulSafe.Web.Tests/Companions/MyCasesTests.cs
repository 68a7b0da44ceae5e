using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Companions;

/// <summary>"My cases": what a companion sees of each assigned case, and that showing it is logged like any read.</summary>
public sealed class MyCasesTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task My_cases_shows_priority_status_days_since_contact_next_appointment_and_safe_contact()
    {
        // Arrange: a minor (so an emergency), called three days ago, with a court appointment in five days.
        var now = DateTimeOffset.UtcNow;
        var appointment = now.AddDays(5);
        var contact = new SafeContact(ContactChannel.Phone, "010-1234-5678", null, new TimeOnly(18, 0), new TimeOnly(21, 30), VoicemailSafe: false, "umbrella");
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion, risk: new RiskScreening(false, false, false, true), contact: contact,
            more: (c, companion) =>
            {
                c.LogActivity(ServiceTrackKind.Investigation, TimelineEventKind.Call, companion!.Id, now.AddDays(-3).AddHours(-1), null, 10, null, now);
                c.LogActivity(ServiceTrackKind.Legal, TimelineEventKind.Appointment, companion.Id, appointment, "Court", 60, null, now);
            });
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);

        // Act
        var list = await browser.GetAsync("/cases");

        // Assert
        var row = list.QuerySelectorAll("#my-cases tbody tr").Single(tr => tr.TextContent.Contains(reference, StringComparison.Ordinal));
        var cells = row.QuerySelectorAll("td").Select(td => string.Join(' ', td.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToList();
        cells[1].ShouldContain("Emergency");
        cells[1].ShouldContain("Minor");
        cells[2].ShouldBe("In progress");
        cells[3].ShouldBe("3");
        cells[4].ShouldBe(KoreaTime.Format(appointment));
        cells[5].ShouldContain("Phone");
        cells[5].ShouldContain("18:00–21:30");
        cells[5].ShouldContain("no voicemail");
    }

    [Fact]
    public async Task Listing_my_cases_logs_one_view_row_per_case_shown_and_none_for_others()
    {
        // Arrange
        var first = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion);
        var second = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion);
        var theirs = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.OtherCompanion);
        var closed = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion,
            more: (c, companion) => c.Close(CaseOutcome.Resolved, null, companion!.Id, DateTimeOffset.UtcNow));
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var companionId = await portal.StaffIdAsync(CompanionWorld.Companion);
        var before = await portal.WithDbAsync(db => db.AccessLog.MaxAsync(e => (long?)e.Id)) ?? 0;

        // Act
        var list = await browser.GetAsync("/cases");

        // Assert
        var shown = list.QuerySelectorAll("#my-cases tbody tr td:first-child a:first-child").Select(a => a.TextContent.Trim()).ToList();
        shown.ShouldContain(first);
        shown.ShouldContain(second);
        shown.ShouldNotContain(theirs);
        shown.ShouldNotContain(closed);
        var rows = await portal.WithDbAsync(db => db.AccessLog.AsNoTracking().Where(e => e.Id > before).ToListAsync());
        var references = await portal.WithDbAsync(db => db.Cases.ToDictionaryAsync(c => c.Id, c => c.Reference));
        rows.Select(r => references[r.CaseId!.Value]).Order().ShouldBe(shown.Order());
        rows.ShouldAllBe(r => r.Action == AccessAction.View && r.What == "/Cases/Index" && r.StaffId == companionId && r.ActorRole == StaffRoles.Companion);
        rows.Select(r => r.At).Distinct().Count().ShouldBe(1, "the rows of one list are written together");
    }
}
