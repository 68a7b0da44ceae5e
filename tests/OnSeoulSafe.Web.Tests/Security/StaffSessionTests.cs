using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Security;

public sealed class StaffSessionTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<HttpStatusCode> StaffHomeAsync(PortalBrowser browser) => (await browser.GetRawAsync("/staff")).StatusCode;

    private async Task<PortalBrowser> SignedInAsync(string email)
    {
        var browser = portal.Browser("en");
        await StaffSignIn.AsAsync(portal, browser, DemoData.Accounts.Single(a => a.Email == email));
        (await StaffHomeAsync(browser)).ShouldBe(HttpStatusCode.OK);
        return browser;
    }

    private async Task ChangeAsync(string email, Func<UserManager<StaffMember>, StaffMember, Task> change)
    {
        await using var scope = portal.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
        await change(users, (await users.FindByEmailAsync(email))!);
    }

    [Fact]
    public async Task Disabling_an_account_ends_its_session_on_the_next_request()
    {
        const string email = "monitor@onseoulsafe.example";
        using var browser = await SignedInAsync(email);

        await ChangeAsync(email, async (users, member) =>
        {
            member.IsActive = false;
            await users.UpdateAsync(member);
        });

        (await StaffHomeAsync(browser)).ShouldBe(HttpStatusCode.Redirect);
        await ChangeAsync(email, async (users, member) =>
        {
            member.IsActive = true;
            await users.UpdateAsync(member);
        });
    }

    [Fact]
    public async Task Changing_roles_ends_the_session_on_the_next_request()
    {
        const string email = "auditor@onseoulsafe.example";
        using var browser = await SignedInAsync(email);

        await ChangeAsync(email, (users, member) => users.AddToRoleAsync(member, StaffRoles.Monitor));

        (await StaffHomeAsync(browser)).ShouldBe(HttpStatusCode.Redirect);
        await ChangeAsync(email, (users, member) => users.RemoveFromRoleAsync(member, StaffRoles.Monitor));
    }

    [Fact]
    public async Task Thirty_idle_minutes_end_the_session()
    {
        using var browser = await SignedInAsync("companion@onseoulsafe.example");

        portal.Clock.Advance(TimeSpan.FromMinutes(31));

        (await StaffHomeAsync(browser)).ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task An_active_session_still_ends_after_twelve_hours()
    {
        using var browser = await SignedInAsync("admin@onseoulsafe.example");

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(11.5); elapsed += TimeSpan.FromMinutes(25))
        {
            portal.Clock.Advance(TimeSpan.FromMinutes(25));
            (await StaffHomeAsync(browser)).ShouldBe(HttpStatusCode.OK, $"still active after {elapsed}");
        }
        portal.Clock.Advance(TimeSpan.FromMinutes(40));

        (await StaffHomeAsync(browser)).ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_for_a_copy_of_the_cookie()
    {
        // Arrange: signed in; a copy of the session cookie is kept aside (another tab, a shared computer's cache).
        var jar = new CookieContainer();
        using var browser = new PortalBrowser(portal.CreateDefaultClient(new CookieContainerHandler(jar)), "en");
        await StaffSignIn.AsAsync(portal, browser, DemoData.Accounts.Single(a => a.Email == "companion@onseoulsafe.example"));
        var copied = jar.GetCookieHeader(browser.Client.BaseAddress!);
        using var other = portal.Server.CreateClient();
        async Task<HttpStatusCode> StaffHomeWithCopyAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/staff");
            request.Headers.Add("Cookie", copied);
            return (await other.SendAsync(request)).StatusCode;
        }
        (await StaffHomeWithCopyAsync()).ShouldBe(HttpStatusCode.OK);

        // Act
        await browser.SubmitAsync(await browser.GetAsync("/staff"), [], formSelector: "form[action*='ogout']");

        // Assert
        browser.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/account/login");
        (await StaffHomeAsync(browser)).ShouldBe(HttpStatusCode.Redirect);
        (await StaffHomeWithCopyAsync()).ShouldBe(HttpStatusCode.Redirect);
    }
}
