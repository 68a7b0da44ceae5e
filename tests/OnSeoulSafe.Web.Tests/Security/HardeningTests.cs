using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Security;

/// <summary>The portal as it runs in production, reached over HTTPS: HSTS, cookie hardening and request limits.</summary>
public sealed class HardeningTests(HardeningTests.ProductionPortal portal) : IClassFixture<HardeningTests.ProductionPortal>
{
    [Fact]
    public async Task Https_answers_carry_hsts_for_at_least_a_year()
    {
        using var browser = Browser(new CookieRecorder());

        var response = await browser.GetRawAsync("/report");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var hsts = response.Headers.GetValues("Strict-Transport-Security").Single();
        var maxAge = long.Parse(hsts.Split(';')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
        maxAge.ShouldBeGreaterThanOrEqualTo((long)TimeSpan.FromDays(365).TotalSeconds);
    }

    [Fact]
    public async Task Every_cookie_of_a_victim_and_a_staff_journey_is_host_prefixed_secure_and_http_only()
    {
        // Arrange
        await portal.SeedDemoAsync();
        var recorder = new CookieRecorder();
        using var browser = Browser(recorder);

        // Act: a report, the victim's status session, a staff sign-in with its two-factor step.
        var (reference, code) = await ReportJourney.FileAsync(browser);
        await ReportJourney.OpenStatusAsync(browser, reference, code);
        await StaffSignIn.AsAsync(portal, browser, StaffRoles.Manager);

        // Assert
        browser.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/staff");
        var names = recorder.Cookies.Select(c => c.Split('=')[0]).Distinct().ToList();
        names.ShouldContain("__Host-oss.af");
        names.ShouldContain("__Host-oss.v");
        names.ShouldContain("__Host-oss.staff");
        names.ShouldContain("__Host-Identity.TwoFactorUserId");
        recorder.Cookies.ShouldAllBe(c =>
            c.StartsWith("__Host-", StringComparison.Ordinal)
            && c.Contains("; secure", StringComparison.OrdinalIgnoreCase)
            && c.Contains("; httponly", StringComparison.OrdinalIgnoreCase)
            && c.Contains("; samesite=", StringComparison.OrdinalIgnoreCase)
            && c.Contains("; path=/", StringComparison.OrdinalIgnoreCase)
            && !c.Contains("domain=", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_form_value_longer_than_a_whole_request_gets_a_clean_client_error_on_the_portals_page()
    {
        using var browser = Browser(new CookieRecorder());
        var form = await browser.GetAsync("/report");
        var token = form.QuerySelector("input[name=__af]")!.GetAttribute("value")!;
        var body = "__af=" + Uri.EscapeDataString(token) + "&Input.Narrative=" + new string('A', 1_100_000);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/report?handler=Submit")
        {
            Content = new StringContent(body, System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"),
        };

        using var response = await browser.Client.SendAsync(request);

        response.StatusCode.ShouldBeOneOf(HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Nothing was saved.");
    }

    private PortalBrowser Browser(CookieRecorder recorder) =>
        new(portal.CreateDefaultClient(new Uri("https://portal.example"), new CookieContainerHandler(new CookieContainer()), recorder), "en");

    /// <summary>Production defaults: secure cookies and HSTS (localhost is excluded from HSTS, so another host name).</summary>
    public sealed class ProductionPortal : PortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }

    /// <summary>Sees every Set-Cookie header the portal sends, redirects included.</summary>
    private sealed class CookieRecorder : DelegatingHandler
    {
        public List<string> Cookies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var values)) Cookies.AddRange(values);
            return response;
        }
    }
}

public sealed class TwoFactorRateLimitTests(TwoFactorRateLimitTests.StrictPortal portal) : IClassFixture<TwoFactorRateLimitTests.StrictPortal>
{
    [Fact]
    public async Task Too_many_two_factor_codes_from_one_client_get_429_with_retry_after()
    {
        LimitWindow.Start(portal.Clock); // every attempt in one counting window
        await portal.SeedDemoAsync();
        using var browser = portal.Browser("en");
        var account = CompanionWorld.Companion;
        var second = await browser.SubmitAsync(await browser.GetAsync("/account/login"),
            [new("Input.Email", account.Email), new("Input.Password", account.Password)]);

        for (var i = 0; i < 3; i++)
        {
            await browser.SubmitAsync(second, [new("Code", "000000")]);
            browser.LastStatus.ShouldBe(HttpStatusCode.OK);
        }
        await browser.SubmitAsync(second, [new("Code", "000000")]);

        browser.LastStatus.ShouldBe(HttpStatusCode.TooManyRequests);
        browser.LastResponse!.Headers.RetryAfter.ShouldNotBeNull();
    }

    public sealed class StrictPortal : PortalFactory
    {
        protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?>
        {
            ["Portal:RateLimits:TwoFactorPerMinute"] = "3",
        };
    }
}

public sealed class ExportRateLimitTests(ExportRateLimitTests.StrictPortal portal) : IClassFixture<ExportRateLimitTests.StrictPortal>
{
    [Fact]
    public async Task Too_many_csv_exports_from_one_client_get_429_with_retry_after_while_the_page_stays_open()
    {
        LimitWindow.Start(portal.Clock); // every attempt in one counting window
        await portal.SeedDemoAsync();
        using var browser = await portal.SignInAsync(CompanionWorld.Manager);

        for (var i = 0; i < 2; i++)
        {
            (await browser.GetRawAsync("/dashboard?handler=Export&table=trends")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var refused = await browser.GetRawAsync("/dashboard?handler=Export&table=trends");

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        (await browser.GetRawAsync("/dashboard")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    public sealed class StrictPortal : PortalFactory
    {
        protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?>
        {
            ["Portal:RateLimits:ExportsPerMinute"] = "2",
        };
    }
}
