using System.Net;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Ground;

public sealed class StaffSignInTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("/staff")]
    public async Task Anonymous_request_to_a_staff_page_redirects_to_login(string path)
    {
        using var browser = portal.Browser();

        var response = await browser.GetRawAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/account/login");
    }

    [Theory]
    [MemberData(nameof(DemoAccounts))]
    public async Task Each_demo_role_can_sign_in(string email, string password, string role)
    {
        using var browser = portal.Browser("en");

        var home = await StaffSignIn.AsAsync(portal, browser, DemoData.Accounts.Single(a => a.Email == email && a.Password == password));

        browser.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/staff");
        home.Text().ShouldContain(role);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_account_get_the_same_answer()
    {
        using var browser = portal.Browser("en");
        var login = await browser.GetAsync("/account/login");
        var wrongPassword = await browser.SubmitAsync(login, [new("Input.Email", DemoData.Accounts[0].Email), new("Input.Password", "not-the-password-at-all")]);
        var unknown = await browser.SubmitAsync(await browser.GetAsync("/account/login"), [new("Input.Email", "nobody@onseoulsafe.example"), new("Input.Password", "not-the-password-at-all")]);

        wrongPassword.FieldErrors().ShouldBe(unknown.FieldErrors());
        wrongPassword.FieldErrors().ShouldContain(e => e.StartsWith("Sign-in failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account()
    {
        var account = DemoData.Accounts.Single(a => a.Role == "Auditor");
        using var browser = portal.Browser("en");
        for (var i = 0; i < 5; i++)
        {
            await browser.SubmitAsync(await browser.GetAsync("/account/login"), [new("Input.Email", account.Email), new("Input.Password", "wrong-password-" + i)]);
        }

        await browser.SubmitAsync(await browser.GetAsync("/account/login"), [new("Input.Email", account.Email), new("Input.Password", account.Password)]);

        browser.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/account/login");
    }

    public static TheoryData<string, string, string> DemoAccounts()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var account in DemoData.Accounts) data.Add(account.Email, account.Password, account.Role);
        return data;
    }
}
