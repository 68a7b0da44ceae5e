using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Security;

public sealed class StaffTwoFactorTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static DemoData.DemoAccount Account(string role) => DemoData.Accounts.First(a => a.Role == role);

    private static async Task<string> PathAfterAsync(PortalBrowser browser, string url)
    {
        var response = await browser.GetRawAsync(url);
        return response.StatusCode == HttpStatusCode.OK ? url : response.Headers.Location!.AbsolutePath;
    }

    [Fact]
    public async Task The_password_alone_opens_no_staff_page()
    {
        using var browser = portal.Browser("en");
        var account = Account(StaffRoles.Manager);

        var next = await browser.SubmitAsync(await browser.GetAsync("/account/login"), [new("Input.Email", account.Email), new("Input.Password", account.Password)]);

        browser.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/account/two-factor");
        next.QuerySelector("input[name=Code]").ShouldNotBeNull();
        (await PathAfterAsync(browser, "/staff")).ShouldBe("/account/login");
    }

    [Fact]
    public async Task A_code_is_accepted_only_once()
    {
        var account = Account(StaffRoles.Auditor);
        var code = await StaffSignIn.NextCodeAsync(portal, account.Email);
        using (var first = portal.Browser("en"))
        {
            var second = await first.SubmitAsync(await first.GetAsync("/account/login"), [new("Input.Email", account.Email), new("Input.Password", account.Password)]);
            await first.SubmitAsync(second, [new("Code", code)]);
            first.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/staff");
        }

        using var replay = portal.Browser("en");
        var step = await replay.SubmitAsync(await replay.GetAsync("/account/login"), [new("Input.Email", account.Email), new("Input.Password", account.Password)]);
        var refused = await replay.SubmitAsync(step, [new("Code", code)]);

        refused.FieldErrors().ShouldContain(e => e.StartsWith("Sign-in failed", StringComparison.Ordinal));
        (await PathAfterAsync(replay, "/staff")).ShouldBe("/account/login");
    }

    [Fact]
    public async Task Concurrent_checks_of_the_same_code_accept_it_exactly_once()
    {
        // Arrange: an enrolled account of its own, so no other test's sign-in uses its time steps.
        const string email = "racing.codes@onseoulsafe.example";
        var id = await portal.CreateStaffAsync(email, StaffRoles.Monitor);
        string key;
        await using (var scope = portal.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
            var member = (await users.FindByIdAsync(id.ToString()))!;
            await users.ResetAuthenticatorKeyAsync(member);
            await users.SetTwoFactorEnabledAsync(member, true);
            key = (await users.GetAuthenticatorKeyAsync(member))!;
        }

        for (var round = 0; round < 8; round++)
        {
            portal.Clock.Advance(TimeSpan.FromSeconds(30));
            var code = SingleUseTotp.Code(Base32.Decode(key), SingleUseTotp.CurrentStep(portal.Clock.GetUtcNow()));
            // Each check in its own scope (its own DbContext and connection), as two requests would be.
            var checks = new List<(AsyncServiceScope Scope, UserManager<StaffMember> Users, StaffMember Member)>();
            for (var i = 0; i < 4; i++)
            {
                var scope = portal.Scope();
                var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
                checks.Add((scope, users, (await users.FindByIdAsync(id.ToString()))!));
            }

            // Act
            var accepted = await Task.WhenAll(checks.Select(c =>
                Task.Run(() => c.Users.VerifyTwoFactorTokenAsync(c.Member, c.Users.Options.Tokens.AuthenticatorTokenProvider, code))));

            // Assert
            accepted.Count(a => a).ShouldBe(1, $"round {round}");
            foreach (var check in checks) await check.Scope.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_new_account_must_enrol_an_authenticator_before_anything_opens()
    {
        const string email = "new.companion@onseoulsafe.example";
        const string password = "a long enough passphrase";
        await using (var scope = portal.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
            var member = new StaffMember { UserName = email, Email = email, FirstName = "New", FullName = "New Companion", CreatedAt = DateTimeOffset.UtcNow };
            (await users.CreateAsync(member, password)).Succeeded.ShouldBeTrue();
            await users.AddToRoleAsync(member, StaffRoles.Companion);
        }
        using var browser = portal.Browser("en");

        var enrol = await browser.SubmitAsync(await browser.GetAsync("/account/login"), [new("Input.Email", email), new("Input.Password", password)]);
        browser.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/account/enrol");
        await browser.GetAsync("/staff");
        browser.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/account/enrol");
        enrol.QuerySelector("img[src^='data:image/png;base64,']").ShouldNotBeNull();
        var key = enrol.QuerySelector("#shared-key")!.TextContent.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

        var wrong = await browser.SubmitAsync(enrol, [new("Code", "000000")]);
        wrong.QuerySelector("[data-valmsg-for=Code]")!.TextContent.ShouldContain("did not work");
        portal.Clock.Advance(TimeSpan.FromSeconds(30));
        var done = await browser.SubmitAsync(wrong, [new("Code", SingleUseTotp.Code(Base32.Decode(key), SingleUseTotp.CurrentStep(portal.Clock.GetUtcNow())))]);

        done.QuerySelectorAll("#recovery-codes li").Length.ShouldBe(10);
        (await PathAfterAsync(browser, "/staff")).ShouldBe("/staff");
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        var account = Account(StaffRoles.Monitor);
        string recovery;
        await using (var scope = portal.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
            recovery = (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByEmailAsync(account.Email))!, 1))!.Single();
        }

        async Task<string> SignInWithRecoveryAsync()
        {
            using var browser = portal.Browser("en");
            var step = await browser.SubmitAsync(await browser.GetAsync("/account/login"), [new("Input.Email", account.Email), new("Input.Password", account.Password)]);
            await browser.SubmitAsync(step, [new("RecoveryCode", recovery)]);
            return await PathAfterAsync(browser, "/staff");
        }

        (await SignInWithRecoveryAsync()).ShouldBe("/staff");
        (await SignInWithRecoveryAsync()).ShouldBe("/account/login");
    }

    [Fact]
    public async Task Repeated_wrong_codes_lock_the_account()
    {
        var account = DemoData.Accounts.Single(a => a.Email.StartsWith("companion2", StringComparison.Ordinal));
        using var browser = portal.Browser("en");
        for (var i = 0; i < 5; i++)
        {
            var step = await browser.SubmitAsync(await browser.GetAsync("/account/login"), [new("Input.Email", account.Email), new("Input.Password", account.Password)]);
            await browser.SubmitAsync(step, [new("Code", "12345" + i)]);
        }

        var again = await browser.SubmitAsync(await browser.GetAsync("/account/login"), [new("Input.Email", account.Email), new("Input.Password", account.Password)]);

        again.FieldErrors().ShouldContain(e => e.StartsWith("Sign-in failed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("password1234", false)]
    [InlineData("qwerty123456", false)]
    [InlineData("short-pass1", false)]
    [InlineData("reviewer.kim-2026", false)]
    [InlineData("sunshine2026!!", false)]
    [InlineData("violet tram at dusk", true)]
    public async Task Staff_passwords_need_twelve_characters_and_must_not_be_common(string password, bool accepted)
    {
        await using var scope = portal.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
        var member = new StaffMember { UserName = "reviewer.kim@onseoulsafe.example", Email = "reviewer.kim@onseoulsafe.example", FirstName = "Kim" };

        var results = new List<IdentityResult>();
        foreach (var validator in users.PasswordValidators)
        {
            results.Add(await validator.ValidateAsync(users, member, password));
        }

        results.All(r => r.Succeeded).ShouldBe(accepted);
    }
}
