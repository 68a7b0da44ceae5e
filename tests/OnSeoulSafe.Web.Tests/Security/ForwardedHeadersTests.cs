using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Security;

/// <summary>
/// The test server has no socket: a test header names the peer address the request comes from, set before the
/// portal's own pipeline (and its forwarded-headers step) runs, as a real connection would.
/// </summary>
public sealed class PeerAddressFilter : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var peer)) context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
            return nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>X-Forwarded-For is believed only from configured proxies; IPv6 clients are counted by their /64.</summary>
public sealed class ForwardedHeadersTests(ForwardedHeadersTests.StrictPortal portal) : IClassFixture<ForwardedHeadersTests.StrictPortal>
{
    private static async Task<HttpStatusCode> SignInPostAsync(PortalBrowser browser, string token, string peer, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent([new("__af", token), new("Input.Email", "nobody@onseoulsafe.example"), new("Input.Password", "not the password at all")]),
        };
        request.Headers.Add(PeerAddressFilter.Header, peer);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await browser.Client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<string> TokenAsync(PortalBrowser browser) =>
        (await browser.GetAsync("/account/login")).QuerySelector("input[name=__af]")!.GetAttribute("value")!;

    [Fact]
    public async Task A_forwarded_address_from_a_peer_that_is_not_a_configured_proxy_does_not_buy_fresh_limits()
    {
        LimitWindow.Start(portal.Clock); // every attempt in one counting window
        // Arrange
        using var browser = portal.Browser("en");
        var token = await TokenAsync(browser);
        var answers = new List<HttpStatusCode>();

        // Act: a client on the host itself claims a new address with every post.
        for (var i = 1; i <= 4; i++) answers.Add(await SignInPostAsync(browser, token, "127.0.0.1", $"198.51.100.{i}"));

        // Assert
        answers[..3].ShouldAllBe(s => s != HttpStatusCode.TooManyRequests);
        answers[3].ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task A_configured_proxy_is_believed_about_the_client_behind_it()
    {
        // Arrange
        using var browser = portal.Browser("en");
        var token = await TokenAsync(browser);
        var answers = new List<HttpStatusCode>();

        // Act
        for (var i = 1; i <= 5; i++) answers.Add(await SignInPostAsync(browser, token, "192.0.2.10", $"203.0.113.{i}"));

        // Assert
        answers.ShouldAllBe(s => s != HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Addresses_of_one_IPv6_64_count_as_one_client()
    {
        LimitWindow.Start(portal.Clock); // every attempt in one counting window
        // Arrange
        using var browser = portal.Browser("en");
        var token = await TokenAsync(browser);
        var answers = new List<HttpStatusCode>();

        // Act
        for (var i = 1; i <= 4; i++) answers.Add(await SignInPostAsync(browser, token, $"2001:db8:1:2::{i:x}"));
        var otherNetwork = await SignInPostAsync(browser, token, "2001:db8:1:3::1");

        // Assert
        answers[3].ShouldBe(HttpStatusCode.TooManyRequests);
        otherNetwork.ShouldNotBe(HttpStatusCode.TooManyRequests);
    }

    [Theory]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64")]
    [InlineData("::ffff:198.51.100.7", "198.51.100.7")]
    [InlineData("198.51.100.7", "198.51.100.7")]
    public void Client_keys(string address, string key) => PortalRateLimits.ClientKey(IPAddress.Parse(address)).ShouldBe(key);

    public sealed class StrictPortal : PortalFactory
    {
        protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?>
        {
            ["Portal:RateLimits:SignInPerMinute"] = "3",
            ["Portal:ForwardedHeaders:KnownProxies:0"] = "192.0.2.10",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, PeerAddressFilter>());
        }
    }
}
