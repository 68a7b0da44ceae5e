using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>Signs a staff member in the way they would: password, then a fresh code from their authenticator.</summary>
public static class StaffSignIn
{
    public static Task<IHtmlDocument> AsAsync(PortalFactory portal, PortalBrowser browser, string role, int index = 0) =>
        AsAsync(portal, browser, DemoData.Accounts.Where(a => a.Role == role).ElementAt(index));

    public static async Task<IHtmlDocument> AsAsync(PortalFactory portal, PortalBrowser browser, DemoData.DemoAccount account)
    {
        var second = await browser.SubmitAsync(await browser.GetAsync("/account/login"),
            [new("Input.Email", account.Email), new("Input.Password", account.Password)]);
        if (browser.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath == "/account/enrol")
        {
            // An account made by the test: enrol its authenticator first, as a new staff member would.
            await browser.SubmitAsync(second, [new("Code", await NextCodeAsync(portal, account.Email))]);
            return await browser.GetAsync("/staff");
        }
        return await browser.SubmitAsync(second, [new("Code", await NextCodeAsync(portal, account.Email))]);
    }

    /// <summary>A code for a time step no earlier sign-in used: each code is accepted only once.</summary>
    public static async Task<string> NextCodeAsync(PortalFactory portal, string email)
    {
        await using var scope = portal.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
        var key = await users.GetAuthenticatorKeyAsync((await users.FindByEmailAsync(email))!);
        portal.Clock.Advance(TimeSpan.FromSeconds(30));
        return SingleUseTotp.Code(Base32.Decode(key!), SingleUseTotp.CurrentStep(portal.Clock.GetUtcNow()));
    }
}
