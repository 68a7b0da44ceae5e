using System.Net;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Work;

/// <summary>Disabling a companion with open cases: the manager says where the cases go, and nothing is orphaned.</summary>
public sealed class CaseloadHandoverTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private static readonly RiskScreening MinorAtRisk = new(false, false, false, true);

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static DemoData.DemoAccount Account(string email) =>
        new(email, "a long enough passphrase for tests", StaffRoles.Companion, "Test", "Test", ["ko"]);

    [Fact]
    public async Task Disabling_a_companion_with_open_cases_asks_where_they_go_and_moves_the_whole_caseload_in_one_step()
    {
        // Arrange: a leaving companion with an ordinary case, an Emergency minor's case, and a track on a colleague's case.
        const string email = "leaving.companion@onseoulsafe.example";
        var leaving = await portal.CreateStaffAsync(email, StaffRoles.Companion);
        var colleague = await portal.StaffIdAsync(CompanionWorld.OtherCompanion);
        var ordinary = await portal.OpenCaseAsync("narrative", assignTo: Account(email));
        var minor = await portal.OpenCaseAsync("narrative", assignTo: Account(email), risk: MinorAtRisk);
        var theirs = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion,
            more: (c, _) => c.ChangeTrackStatus(ServiceTrackKind.Legal, TrackStatus.Active, leaving, DateTimeOffset.UtcNow));
        var companionId = await portal.StaffIdAsync(CompanionWorld.Companion);
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);

        // Act: disabling leads to the handover; everything to the queue is refused for the minor, then the minor goes to a colleague.
        var handover = await manager.SubmitAsync(await manager.GetAsync($"/admin/staff/edit/{leaving}"), [], formSelector: "#staff-active-form");
        manager.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/intake/caseload");
        var shown = handover.QuerySelectorAll("#caseload tbody tr").Select(tr => tr.GetAttribute("data-reference")).ToList();
        var refused = await manager.SubmitAsync(handover, [new("Input.Everyone", "queue"), new("Input.Reason", "Leaves the centre")], formSelector: "#caseload-form");
        var minorId = await portal.CaseIdAsync(minor);
        var done = await manager.SubmitAsync(refused, [new($"Input.PerCase[{minorId}]", colleague.ToString())], formSelector: "#caseload-form");

        // Assert
        shown.ShouldBe([minor, ordinary], "emergencies first");
        refused.FieldErrors().ShouldContain(e => e.Contains(minor, StringComparison.Ordinal) && e.Contains("Emergency", StringComparison.Ordinal));
        refused.QuerySelector("#Input_Reason")!.GetAttribute("value").ShouldBe("Leaves the centre", "nothing typed is lost");
        (await portal.WithDbAsync(db => db.Users.SingleAsync(u => u.Id == leaving))).IsActive.ShouldBeFalse();
        done.Text().ShouldContain("2 cases handed over");
        var cases = await portal.WithDbAsync(db => db.Cases.AsNoTracking().Include(c => c.Tracks).Include(c => c.Assignments)
            .Where(c => c.Reference == ordinary || c.Reference == minor || c.Reference == theirs).ToDictionaryAsync(c => c.Reference));
        cases[ordinary].AssignedCompanionId.ShouldBeNull();
        cases[ordinary].Status.ShouldBe(CaseStatus.Triaged);
        cases[minor].AssignedCompanionId.ShouldBe(colleague);
        cases[minor].Assignments.Count.ShouldBe(2, "the history is kept");
        cases[minor].Assignments.Single(a => a.CompanionId == colleague).Reason.ShouldBe("Leaves the centre");
        cases[theirs].Tracks.Single(t => t.Kind == ServiceTrackKind.Legal).ResponsibleStaffId.ShouldBe(companionId);
        (await portal.WithDbAsync(db => db.Cases.AnyAsync(c => c.AssignedCompanionId == leaving || c.Tracks.Any(t => t.ResponsibleStaffId == leaving)))).ShouldBeFalse();
        var managerId = await portal.StaffIdAsync(CompanionWorld.Manager);
        foreach (var reference in new[] { ordinary, minor, theirs })
        {
            (await portal.AccessLogAsync(reference)).ShouldContain(e => e.What == "/Intake/Caseload" && e.Action == AccessAction.Edit && e.StaffId == managerId, reference);
        }
        var queue = await manager.GetAsync("/intake");
        queue.QuerySelector("#intake-queue")!.TextContent.ShouldContain(ordinary);
    }

    [Fact]
    public async Task An_administrator_who_is_not_a_manager_is_told_to_have_the_cases_handed_over_first()
    {
        // Arrange
        const string email = "admin.cannot.orphan@onseoulsafe.example";
        var leaving = await portal.CreateStaffAsync(email, StaffRoles.Companion);
        await portal.OpenCaseAsync("narrative", assignTo: Account(email));
        using var admin = await portal.SignInAsync(CompanionWorld.Admin);

        // Act
        var page = await admin.SubmitAsync(await admin.GetAsync($"/admin/staff/edit/{leaving}"), [], formSelector: "#staff-active-form");

        // Assert
        admin.LastStatus.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("#handover-needed").ShouldNotBeNull();
        (await portal.WithDbAsync(db => db.Users.SingleAsync(u => u.Id == leaving))).IsActive.ShouldBeTrue();
    }
}
