using System.Net;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

public sealed class RateLimitTests(RateLimitTests.StrictPortal portal) : IClassFixture<RateLimitTests.StrictPortal>
{
    [Fact]
    public async Task Too_many_access_code_checks_from_one_client_get_429_with_retry_after()
    {
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
