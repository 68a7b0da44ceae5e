using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Security;

/// <summary>/admin/staff: staff accounts are created and changed by people, through the page, with the same rules as sign-in.</summary>
public sealed class StaffAccountsTests(LogCanaryTests.RecordingPortal portal) : IClassFixture<LogCanaryTests.RecordingPortal>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static KeyValuePair<string, string>[] NewAccount(string email, string password, string role = StaffRoles.Companion) =>
    [
        new("Input.Email", email), new("Input.FirstName", "Minji"), new("Input.FullName", "Minji Park"),
        new("Input.Roles", role), new("Input.Languages", "ko"), new("Input.Languages", "en"), new("Input.Password", password),
    ];

    private static string Value(IHtmlDocument page, string name) => ((IHtmlInputElement)page.QuerySelector($"input[name='{name}']")!).Value;

    private async Task<IList<string>> RolesAsync(Guid id)
    {
        await using var scope = portal.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
        return await users.GetRolesAsync((await users.FindByIdAsync(id.ToString()))!);
    }

    [Theory]
    [InlineData("en", "too common")]
    [InlineData("ko", "흔하거나")]
    public async Task Creating_an_account_with_a_common_password_is_refused_at_the_field_and_keeps_the_other_fields(string culture, string message)
    {
        // Arrange
        using var admin = await portal.SignInAsync(CompanionWorld.Admin, culture);
        var email = $"common.{culture}@onseoulsafe.example";

        // Act
        var page = await admin.SubmitAsync(await admin.GetAsync("/admin/staff/new"), NewAccount(email, "sunshine2026!!"), formSelector: "#new-staff-form");

        // Assert
        admin.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/admin/staff/new");
        page.QuerySelector("[data-valmsg-for='Input.Password']")!.TextContent.ShouldContain(message);
        page.QuerySelector("#Input_Password")!.GetAttribute("aria-invalid").ShouldBe("true");
        Value(page, "Input.Email").ShouldBe(email);
        Value(page, "Input.FirstName").ShouldBe("Minji");
        Value(page, "Input.FullName").ShouldBe("Minji Park");
        ((IHtmlInputElement)page.QuerySelector("#role-Companion")!).IsChecked.ShouldBeTrue();
        ((IHtmlInputElement)page.QuerySelector("#language-en")!).IsChecked.ShouldBeTrue();
        Value(page, "Input.Password").ShouldBeEmpty();
        (await portal.WithDbAsync(db => Task.FromResult(db.Users.Any(u => u.Email == email)))).ShouldBeFalse();
    }

    [Fact]
    public async Task An_account_created_with_a_good_password_must_enrol_two_factor_at_its_first_sign_in()
    {
        // Arrange
        using var admin = await portal.SignInAsync(CompanionWorld.Admin);
        const string email = "minji.park@onseoulsafe.example";
        const string password = "quiet harbour lantern seven";

        // Act
        var list = await admin.SubmitAsync(await admin.GetAsync("/admin/staff/new"), NewAccount(email, password), formSelector: "#new-staff-form");
        using var person = portal.Browser("en");
        var enrol = await person.SubmitAsync(await person.GetAsync("/account/login"), [new("Input.Email", email), new("Input.Password", password)]);

        // Assert
        admin.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/admin/staff");
        var row = list.QuerySelector($"tr[data-email='{email}']")!;
        row.TextContent.ShouldContain("Companion");
        row.QuerySelector(".staff-enrolled")!.TextContent.ShouldBe("Not yet");
        person.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/account/enrol");
        enrol.QuerySelector("#shared-key").ShouldNotBeNull();
        (await person.GetRawAsync("/cases")).Headers.Location!.OriginalString.ShouldNotContain("/cases");
        var member = await portal.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Email == email)));
        member.Languages.ShouldBe(["ko", "en"]);
        member.TwoFactorEnabled.ShouldBeFalse();
    }

    [Fact]
    public async Task Disabling_an_account_on_the_page_ends_its_open_session_on_the_next_request_and_enabling_lets_it_back()
    {
        // Arrange
        const string email = "to.disable@onseoulsafe.example";
        var id = await portal.CreateStaffAsync(email, StaffRoles.Companion);
        using var person = portal.Browser("en");
        await StaffSignIn.AsAsync(portal, person, new DemoData.DemoAccount(email, "a long enough passphrase for tests", StaffRoles.Companion, "Test", "Test", ["ko"]));
        (await person.GetRawAsync("/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);

        // Act
        var list = await manager.SubmitAsync(await manager.GetAsync($"/admin/staff/edit/{id}"), [], formSelector: "#staff-active-form");

        // Assert
        list.QuerySelector($"tr[data-email='{email}'] .staff-active")!.TextContent.ShouldContain("No");
        var next = await person.GetRawAsync("/cases");
        next.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        next.Headers.Location!.OriginalString.ShouldContain("/account/login");
        await manager.SubmitAsync(await manager.GetAsync($"/admin/staff/edit/{id}"), [], formSelector: "#staff-active-form");
        (await portal.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == id).IsActive))).ShouldBeTrue();
        // Both changes are recorded with who made them, by id only.
        var managerId = await portal.StaffIdAsync(CompanionWorld.Manager);
        var changes = portal.Logs.Lines.Where(l => l.Contains($"Staff account {id}:", StringComparison.Ordinal)).ToList();
        changes.ShouldContain(l => l.Contains($"disabled by {managerId}", StringComparison.Ordinal));
        changes.ShouldContain(l => l.Contains($"enabled by {managerId}", StringComparison.Ordinal));
        changes.ShouldAllBe(l => !l.Contains(email, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Changing_roles_on_the_page_ends_the_open_session_and_the_new_roles_apply_at_the_next_sign_in()
    {
        // Arrange
        const string email = "role.change@onseoulsafe.example";
        var id = await portal.CreateStaffAsync(email, StaffRoles.Companion);
        var account = new DemoData.DemoAccount(email, "a long enough passphrase for tests", StaffRoles.Companion, "Test", "Test", ["ko"]);
        using var person = portal.Browser("en");
        await StaffSignIn.AsAsync(portal, person, account);
        using var admin = await portal.SignInAsync(CompanionWorld.Admin);

        // Act
        await admin.SubmitAsync(await admin.GetAsync($"/admin/staff/edit/{id}"),
            [new("Input.Roles", StaffRoles.Auditor), new("Input.Languages", "ko")], formSelector: "#staff-choices");

        // Assert
        (await RolesAsync(id)).ShouldBe([StaffRoles.Auditor]);
        (await person.GetRawAsync("/cases")).Headers.Location!.OriginalString.ShouldContain("/account/login");
        await StaffSignIn.AsAsync(portal, person, account);
        (await person.GetRawAsync("/audit")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await person.GetRawAsync("/cases")).Headers.Location!.OriginalString.ShouldContain("/account/denied");
    }

    [Fact]
    public async Task Resetting_two_factor_makes_the_person_enrol_again_at_the_next_sign_in()
    {
        // Arrange
        const string email = "lost.phone@onseoulsafe.example";
        var id = await portal.CreateStaffAsync(email, StaffRoles.Monitor);
        var account = new DemoData.DemoAccount(email, "a long enough passphrase for tests", StaffRoles.Monitor, "Test", "Test", ["ko"]);
        using (var first = portal.Browser("en")) await StaffSignIn.AsAsync(portal, first, account);
        using var admin = await portal.SignInAsync(CompanionWorld.Admin);

        // Act
        await admin.SubmitAsync(await admin.GetAsync($"/admin/staff/edit/{id}"), [], formSelector: "#staff-reset-form");
        using var person = portal.Browser("en");
        await person.SubmitAsync(await person.GetAsync("/account/login"), [new("Input.Email", email), new("Input.Password", account.Password)]);

        // Assert
        person.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/account/enrol");
    }

    [Fact]
    public async Task A_manager_cannot_grant_the_admin_role()
    {
        // Arrange
        const string email = "no.promotion@onseoulsafe.example";
        var id = await portal.CreateStaffAsync(email, StaffRoles.Companion);
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);
        var edit = await manager.GetAsync($"/admin/staff/edit/{id}");

        // Act: the Admin box is disabled for a manager, so post it by hand.
        var refused = await manager.SubmitAsync(edit,
            [new("Input.Roles", StaffRoles.Companion), new("Input.Roles", StaffRoles.Admin), new("Input.Languages", "ko")], formSelector: "#staff-choices");
        var create = await manager.SubmitAsync(await manager.GetAsync("/admin/staff/new"),
            NewAccount("would.be.admin@onseoulsafe.example", "quiet harbour lantern seven", StaffRoles.Admin), formSelector: "#new-staff-form");

        // Assert
        ((IHtmlInputElement)edit.QuerySelector("#role-Admin")!).IsDisabled.ShouldBeTrue();
        refused.QuerySelector("[data-valmsg-for='Input.Roles']")!.TextContent.ShouldContain("Only an administrator");
        create.QuerySelector("[data-valmsg-for='Input.Roles']")!.TextContent.ShouldContain("Only an administrator");
        (await RolesAsync(id)).ShouldBe([StaffRoles.Companion]);
        (await portal.WithDbAsync(db => Task.FromResult(db.Users.Any(u => u.Email == "would.be.admin@onseoulsafe.example")))).ShouldBeFalse();
        var adminId = await portal.StaffIdAsync(CompanionWorld.Admin);
        (await manager.GetRawAsync($"/admin/staff/edit/{adminId}")).Headers.Location!.OriginalString.ShouldContain("/account/denied");
    }

    [Fact]
    public async Task A_companion_is_refused_every_staff_account_page()
    {
        // Arrange
        using var companion = await portal.SignInAsync(CompanionWorld.Companion);
        var adminId = await portal.StaffIdAsync(CompanionWorld.Admin);
        var token = await CompanionWorld.AntiforgeryTokenAsync(companion, signedIn: true);

        // Act
        var list = await companion.GetRawAsync("/admin/staff");
        var create = await companion.Client.PostAsync("/admin/staff/new", new FormUrlEncodedContent(
            NewAccount("sneaky@onseoulsafe.example", "quiet harbour lantern seven").Append(new("__af", token))));
        var disable = await companion.Client.PostAsync($"/admin/staff/edit/{adminId}?handler=Active", new FormUrlEncodedContent([new("active", "false"), new("__af", token)]));
        await companion.GetAsync("/admin/staff", HttpStatusCode.Forbidden);

        // Assert
        list.Headers.Location!.OriginalString.ShouldContain("/account/denied");
        create.Headers.Location!.OriginalString.ShouldContain("/account/denied");
        disable.Headers.Location!.OriginalString.ShouldContain("/account/denied");
        (await portal.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == adminId).IsActive))).ShouldBeTrue();
    }
}
