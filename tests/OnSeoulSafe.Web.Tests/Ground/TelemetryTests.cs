using System.Net;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Ground;

/// <summary>The metrics scrape endpoint answers Admins only; the live and ready health checks answer anyone.</summary>
public sealed class TelemetryTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Metrics_are_scraped_by_an_Admin_and_refused_to_everyone_else()
    {
        // Arrange
        await portal.SeedDemoAsync();
        using var anonymous = portal.Browser("en");
        using var manager = portal.Browser("en");
        using var admin = portal.Browser("en");
        await StaffSignIn.AsAsync(portal, manager, StaffRoles.Manager);
        await StaffSignIn.AsAsync(portal, admin, StaffRoles.Admin);
        await admin.GetAsync("/report");

        // Act
        var asAnonymous = await anonymous.GetRawAsync("/metrics");
        var asManager = await manager.GetRawAsync("/metrics");
        var asAdmin = await admin.GetRawAsync("/metrics");

        // Assert: the fallback sends a stranger to sign in, a manager is denied, an Admin reads the numbers.
        ((int)asAnonymous.StatusCode).ShouldBeInRange(300, 399);
        asAnonymous.Headers.Location!.OriginalString.ShouldContain("/account/login");
        asManager.Headers.Location!.OriginalString.ShouldContain("/account/denied");
        asAdmin.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await asAdmin.Content.ReadAsStringAsync()).ShouldContain("http_server_request_duration");
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_checks_answer_without_sign_in(string path)
    {
        using var browser = portal.Browser("en");

        var response = await browser.GetRawAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
