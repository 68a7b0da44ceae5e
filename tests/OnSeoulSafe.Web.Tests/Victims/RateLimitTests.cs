using System.Net;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

public sealed class RateLimitTests(RateLimitTests.StrictPortal portal) : IClassFixture<RateLimitTests.StrictPortal>
{
    [Fact]
    public async Task Too_many_access_code_checks_from_one_client_get_429_with_retry_after()
    {
        LimitWindow.Start(portal.Clock); // every attempt in one counting window
        using var browser = portal.Browser("en");
        var page = await browser.GetAsync("/status");

        for (var i = 0; i < 3; i++)
        {
            await browser.SubmitAsync(page, [new("Input.Reference", "SDS-2026-000001"), new("Input.Code", "AAAA-AAAA-AAAA-AAAA")]);
            browser.LastStatus.ShouldBe(HttpStatusCode.OK);
        }
        await browser.SubmitAsync(page, [new("Input.Reference", "SDS-2026-000001"), new("Input.Code", "AAAA-AAAA-AAAA-AAAA")]);

        browser.LastStatus.ShouldBe(HttpStatusCode.TooManyRequests);
        browser.LastResponse!.Headers.RetryAfter.ShouldNotBeNull();
        (await browser.GetAsync("/status")).QuerySelector("form").ShouldNotBeNull(); // reading is never limited
    }

    public sealed class StrictPortal : PortalFactory
    {
        protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?>
        {
            ["Portal:RateLimits:AccessCodePerMinute"] = "3",
        };
    }
}

public sealed class SignInRateLimitTests(SignInRateLimitTests.StrictPortal portal) : IClassFixture<SignInRateLimitTests.StrictPortal>
{
    [Fact]
    public async Task Sign_in_attempts_past_the_per_client_limit_get_429_with_retry_after_even_with_the_right_password()
    {
        LimitWindow.Start(portal.Clock); // every attempt in one counting window
        // Arrange
        await portal.SeedDemoAsync();
        using var browser = portal.Browser("en");
        var account = CompanionWorld.Monitor;
        var page = await browser.GetAsync("/account/login");
        for (var i = 0; i < 3; i++)
        {
            await browser.SubmitAsync(page, [new("Input.Email", account.Email), new("Input.Password", "not the password " + i)]);
            browser.LastStatus.ShouldBe(HttpStatusCode.OK);
        }

        // Act
        await browser.SubmitAsync(page, [new("Input.Email", account.Email), new("Input.Password", account.Password)]);

        // Assert
        browser.LastStatus.ShouldBe(HttpStatusCode.TooManyRequests);
        browser.LastResponse!.Headers.RetryAfter.ShouldNotBeNull();
        browser.LastResponse.Headers.Location.ShouldBeNull();
        (await browser.GetAsync("/account/login")).QuerySelector("form").ShouldNotBeNull();
    }

    public sealed class StrictPortal : PortalFactory
    {
        protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?>
        {
            ["Portal:RateLimits:SignInPerMinute"] = "3",
        };
    }
}
