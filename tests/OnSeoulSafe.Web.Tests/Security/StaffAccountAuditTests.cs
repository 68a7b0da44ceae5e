using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Audit;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Security;

/// <summary>Staff-account changes and sign-ins are rows of the sealed access log, shown to auditors in Korean.</summary>
public sealed class StaffAccountAuditTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<List<AccessLogEntry>> RowsAboutAsync(Guid? subject, AccessAction action) =>
        portal.WithDbAsync(db => db.AccessLog.Where(e => e.SubjectStaffId == subject && e.Action == action).ToListAsync());

    [Fact]
    public async Task A_role_grant_is_a_sealed_log_row_the_auditor_reads_in_korean()
    {
        // Arrange
        const string email = "grant.logged@onseoulsafe.example";
        var id = await portal.CreateStaffAsync(email, StaffRoles.Companion);
        using var admin = await portal.SignInAsync(CompanionWorld.Admin);

        // Act
        await admin.SubmitAsync(await admin.GetAsync($"/admin/staff/edit/{id}"),
            [new("Input.Roles", StaffRoles.Companion), new("Input.Roles", StaffRoles.Monitor), new("Input.Languages", "ko")], formSelector: "#staff-choices");
        using var auditor = await portal.SignInAsync(CompanionWorld.Auditor, "ko");
        var page = await auditor.GetAsync($"/audit?Search.Staff={email}");

        // Assert
        var row = (await RowsAboutAsync(id, AccessAction.RolesChanged)).ShouldHaveSingleItem();
        row.StaffId.ShouldBe(await portal.StaffIdAsync(CompanionWorld.Admin));
        row.What.ShouldBe("+Monitor");
        var shown = page.QuerySelectorAll("#access-log tbody tr").Select(r => r.TextContent).ToList();
        shown.ShouldContain(t => t.Contains("역할 변경") && t.Contains("부여 시민 모니터링단") && t.Contains(email));
        (await portal.SealAsync()).ShouldBeGreaterThan(0);
        (await portal.VerifyAsync()).IsUnbroken.ShouldBeTrue();
    }

    [Fact]
    public async Task Sign_ins_and_failed_sign_ins_are_logged_with_the_account_they_concern()
    {
        // Arrange
        var companionId = await portal.StaffIdAsync(CompanionWorld.Companion);
        var failedBefore = (await RowsAboutAsync(companionId, AccessAction.SignInFailed)).Count;
        var unknownBefore = (await RowsAboutAsync(null, AccessAction.SignInFailed)).Count;
        using var browser = portal.Browser("en");

        // Act
        await browser.SubmitAsync(await browser.GetAsync("/account/login"), [new("Input.Email", CompanionWorld.Companion.Email), new("Input.Password", "wrong password entirely")]);
        await browser.SubmitAsync(await browser.GetAsync("/account/login"), [new("Input.Email", "nobody.here@onseoulsafe.example"), new("Input.Password", "wrong password entirely")]);
        using var signedIn = await portal.SignInAsync(CompanionWorld.Companion);

        // Assert
        (await RowsAboutAsync(companionId, AccessAction.SignInFailed)).Count.ShouldBe(failedBefore + 1);
        (await RowsAboutAsync(null, AccessAction.SignInFailed)).Count.ShouldBe(unknownBefore + 1);
        (await RowsAboutAsync(companionId, AccessAction.SignedIn)).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Nobody_changes_their_own_roles_on_the_page()
    {
        // Arrange
        using var admin = await portal.SignInAsync(CompanionWorld.Admin);
        var adminId = await portal.StaffIdAsync(CompanionWorld.Admin);

        // Act
        var refused = await admin.SubmitAsync(await admin.GetAsync($"/admin/staff/edit/{adminId}"),
            [new("Input.Roles", StaffRoles.Admin), new("Input.Roles", StaffRoles.Companion), new("Input.Languages", "ko")], formSelector: "#staff-choices");

        // Assert
        refused.QuerySelector("[data-valmsg-for='Input.Roles']")!.TextContent.ShouldContain("Nobody can change their own roles");
        (await RowsAboutAsync(adminId, AccessAction.RolesChanged)).ShouldBeEmpty();
        (await portal.WithDbAsync(db => db.UserRoles.CountAsync(r => r.UserId == adminId))).ShouldBe(1);
    }

    [Fact]
    public async Task An_account_cannot_both_read_cases_and_audit_them()
    {
        // Arrange
        const string email = "two.hats@onseoulsafe.example";
        var id = await portal.CreateStaffAsync(email, StaffRoles.Companion);
        using var admin = await portal.SignInAsync(CompanionWorld.Admin);

        // Act
        var refused = await admin.SubmitAsync(await admin.GetAsync($"/admin/staff/edit/{id}"),
            [new("Input.Roles", StaffRoles.Companion), new("Input.Roles", StaffRoles.Auditor), new("Input.Languages", "ko")], formSelector: "#staff-choices");

        // Assert
        refused.QuerySelector("[data-valmsg-for='Input.Roles']")!.TextContent.ShouldContain("cannot also be an Auditor");
        (await RowsAboutAsync(id, AccessAction.RolesChanged)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_manager_taking_a_case_for_themselves_breaks_the_glass_with_a_reason_in_the_log()
    {
        // Arrange: a manager who is also a companion (granted by an administrator), and a case nobody holds.
        const string email = "manager.companion@onseoulsafe.example";
        var id = await portal.CreateStaffAsync(email, StaffRoles.Manager);
        await using (var scope = portal.Scope())
        {
            var users = CompanionWorld.Users(scope);
            (await users.AddToRoleAsync((await users.FindByIdAsync(id.ToString()))!, StaffRoles.Companion)).Succeeded.ShouldBeTrue();
        }
        var reference = await portal.OpenCaseAsync("self assignment narrative");
        using var manager = portal.Browser("en");
        await StaffSignIn.AsAsync(portal, manager, new DemoData.DemoAccount(email, "a long enough passphrase for tests", StaffRoles.Manager, "Test", "Test", ["ko"]));
        var url = "/intake/assign/" + reference.ToLowerInvariant();

        // Act
        var refused = await manager.SubmitAsync(await manager.GetAsync(url), [new("Input.CompanionId", id.ToString()), new("Input.Reason", "short")], "#assign-form");
        await manager.SubmitAsync(refused, [new("Input.CompanionId", id.ToString()), new("Input.Reason", "covering the night shift emergency")], "#assign-form");

        // Assert
        refused.QuerySelector("[data-valmsg-for='Input.Reason']")!.TextContent.ShouldContain("breaks the glass");
        var log = await portal.AccessLogAsync(reference);
        log.ShouldContain(e => e.Action == AccessAction.BreakTheGlass && e.StaffId == id && e.Reason == "covering the night shift emergency" && e.What == "/Intake/Assign");
        (await portal.WithDbAsync(db => db.Cases.Where(c => c.Reference == reference).Select(c => c.AssignedCompanionId).SingleAsync())).ShouldBe(id);
    }
}
