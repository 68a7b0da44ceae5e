using Microsoft.AspNetCore.Http;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.Web.Tests.Victims;

/// <summary>
/// Which requests of a limited page count against a shared limit. The pipeline asks this before it takes the limiter
/// (and a database context), so a request wrongly left out here would never be counted.
/// </summary>
public sealed class RateLimitApplicabilityTests
{
    [Theory]
    [InlineData(PortalRateLimits.SignIn, "POST", "", true)]
    [InlineData(PortalRateLimits.SignIn, "GET", "", false)]
    [InlineData(PortalRateLimits.TwoFactor, "POST", "", true)]
    [InlineData(PortalRateLimits.TwoFactor, "GET", "", false)]
    [InlineData(PortalRateLimits.AccessCode, "POST", "", true)]
    [InlineData(PortalRateLimits.AccessCode, "POST", "?handler=recover", true)]
    [InlineData(PortalRateLimits.AccessCode, "GET", "", false)]
    [InlineData(PortalRateLimits.Export, "GET", "?handler=export", true)]
    [InlineData(PortalRateLimits.Export, "GET", "?handler=Export", true)]
    [InlineData(PortalRateLimits.Export, "GET", "", false)]
    // The report counts its own posts in its page (so a refused post keeps what was typed); reading it counts nothing.
    [InlineData(PortalRateLimits.Intake, "POST", "?handler=Submit", false)]
    [InlineData(PortalRateLimits.Intake, "GET", "", false)]
    public void A_request_counts_only_where_its_page_is_limited(string policy, string method, string query, bool counts)
    {
        // Arrange
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);

        // Act
        var result = SharedRateLimiter.Counts(context.Request, policy);

        // Assert
        result.ShouldBe(counts);
    }
}
