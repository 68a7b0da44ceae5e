using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Security;

/// <summary>
/// Every POST handler of every page, as a caller allowed to reach it: without an antiforgery token it is refused
/// (400); with a token and hostile values it answers a clean 4xx, a re-shown form or a redirect — never a 500.
/// </summary>
public sealed class FormFuzzTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string Script = "<script>alert('oss')</script>";

    /// <summary>Each hostile value goes into every field of the handler at once.</summary>
    private static readonly (string Name, string Value)[] HostileValues =
    [
        ("long", new string('가', 20_000) + new string('x', 40_000)),
        ("control characters", "\u0000\u0001\u0007\u001b[31m\u202e\ufeff\r\n\t end"),
        ("script", Script + "\"><img src=x onerror=alert(1)>"),
        ("sql", "'; DROP TABLE \"Cases\"; -- ' OR '1'='1"),
        ("wrong type", "abc"),
        ("overflow", "-99999999999999999999999"),
        ("empty", ""),
        // Shapes an outside probe answered with a 500: IPv6 literal links, a non-ASCII or control-character address.
        ("IPv6 links", "http://[2001:db8::1]/x\nhttp://[::1]/y\n[fe80::1%25eth0]/z"),
        ("non-ASCII address", "/상태/사례?x=가\u0001"),
    ];

    private readonly Dictionary<string, PortalBrowser> _browsers = [];
    private string _reference = "";
    private int _partnerId;
    private int _platformId;
    private Guid _staffId;

    public async Task InitializeAsync()
    {
        await portal.SeedDemoAsync();
        _reference = await portal.OpenCaseAsync("fuzz narrative", assignTo: CompanionWorld.Companion);
        _partnerId = await portal.WithDbAsync(db => db.PartnerInstitutions.Select(p => p.Id).FirstAsync());
        _platformId = await portal.WithDbAsync(db => db.Platforms.Select(p => p.Id).FirstAsync());
        _staffId = await portal.CreateStaffAsync("fuzz.staff@onseoulsafe.example", OnSeoulSafe.Cases.Domain.StaffRoles.Companion);
    }

    public Task DisposeAsync()
    {
        foreach (var browser in _browsers.Values) browser.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_post_handler_refuses_a_post_without_an_antiforgery_token()
    {
        // Arrange
        // Except the error page: its POST is the re-execution of a post that already failed (often because its form,
        // token included, could not be read), it changes nothing, and it must show the portal's page, not a bare 400.
        var handlers = Ordered(await PortalPages.PostHandlersAsync(portal)).Where(h => h.Page != "/Error").ToList();
        handlers.Count.ShouldBeGreaterThan(30);
        var failures = new List<string>();

        // Act
        foreach (var handler in handlers)
        {
            var browser = await BrowserForAsync(handler);
            using var request = new HttpRequestMessage(HttpMethod.Post, Url(handler))
            {
                Content = new FormUrlEncodedContent(handler.Fields.Select(f => new KeyValuePair<string, string>(f, "1"))),
            };
            using var response = await browser.Client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                failures.Add($"{handler} as {Actor(handler)}: {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        // Assert
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task Hostile_values_in_every_field_of_every_handler_never_cause_a_server_error()
    {
        // Arrange
        var handlers = Ordered(await PortalPages.PostHandlersAsync(portal));
        handlers.ShouldContain(h => h.Page == "/Report/Index" && h.Name == "Submit" && h.Fields.Contains("Input.Narrative"));
        var failures = new List<string>();

        // Act
        foreach (var handler in handlers)
        {
            var browser = await BrowserForAsync(handler);
            var token = await PortalActors.TokenAsync(browser, Actor(handler));
            foreach (var (name, value) in HostileValues)
            {
                var fields = handler.Fields.Select(f => new KeyValuePair<string, string>(f, value)).Append(new("__af", token));
                using var request = new HttpRequestMessage(HttpMethod.Post, Url(handler)) { Content = new FormUrlEncodedContent(fields) };
                await CheckAsync(browser, request, $"{handler} with {name}", failures);
            }
            await CheckAsync(browser, Post(handler, [new("__af", token)]), $"{handler} with no fields", failures);
            await CheckAsync(browser, RawPost(handler, token, new string('A', 1_000_000)), $"{handler} with a 1 MB value", failures);
            await CheckAsync(browser, RawInvalidUtf8(handler, token), $"{handler} with invalid UTF-8", failures);
            // A handler the page does not have: a clean 405, never the page rendered without its model.
            using (var unknown = new HttpRequestMessage(HttpMethod.Post, WithHandler(Url(handler), "nosuchhandler")) { Content = new FormUrlEncodedContent([new("__af", token)]) })
            {
                await CheckAsync(browser, unknown, $"{handler} as an unknown handler", failures);
            }
        }

        // Assert
        failures.ShouldBeEmpty();
    }

    private static async Task CheckAsync(PortalBrowser browser, HttpRequestMessage request, string what, List<string> failures)
    {
        using (request)
        using (var response = await browser.Client.SendAsync(request))
        {
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{what}: {(int)response.StatusCode}");
            }
            else if (body.Contains(Script, StringComparison.Ordinal))
            {
                failures.Add($"{what}: the script came back unencoded");
            }
        }
    }

    private static string WithHandler(string url, string name)
    {
        var parts = url.Split('?', 2);
        var kept = parts.Length < 2 ? [] : parts[1].Split('&').Where(p => !p.StartsWith("handler=", StringComparison.OrdinalIgnoreCase)).ToArray();
        return parts[0] + "?" + string.Join('&', kept.Append("handler=" + name));
    }

    private HttpRequestMessage Post(PortalPages.PostHandler handler, IEnumerable<KeyValuePair<string, string>> fields) =>
        new(HttpMethod.Post, Url(handler)) { Content = new FormUrlEncodedContent(fields) };

    private HttpRequestMessage RawPost(PortalPages.PostHandler handler, string token, string value)
    {
        var body = "__af=" + Uri.EscapeDataString(token) + string.Concat(handler.Fields.Take(1).Select(f => "&" + Uri.EscapeDataString(f) + "=" + value));
        return new HttpRequestMessage(HttpMethod.Post, Url(handler)) { Content = new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded") };
    }

    private HttpRequestMessage RawInvalidUtf8(PortalPages.PostHandler handler, string token)
    {
        var bytes = new List<byte>(Encoding.ASCII.GetBytes("__af=" + Uri.EscapeDataString(token)));
        foreach (var field in handler.Fields)
        {
            bytes.AddRange(Encoding.ASCII.GetBytes("&" + Uri.EscapeDataString(field) + "="));
            bytes.AddRange([0xC3, 0x28, 0xFF, 0xFE, 0x80, 0xED, 0xA0, 0x80]);
        }
        var content = new ByteArrayContent([.. bytes]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return new HttpRequestMessage(HttpMethod.Post, Url(handler)) { Content = content };
    }

    private string Url(PortalPages.PostHandler handler) => PortalPages.UrlFor(handler, name =>
        new PortalActors.SampleRoute(_reference, _partnerId, _platformId, _staffId).Value(handler.Page, name));

    private static string Actor(PortalPages.PostHandler handler) => PortalActors.For(handler);

    private static List<PortalPages.PostHandler> Ordered(List<PortalPages.PostHandler> handlers) => PortalActors.SessionEndersLast(handlers);

    private async Task<PortalBrowser> BrowserForAsync(PortalPages.PostHandler handler)
    {
        var actor = Actor(handler);
        if (!_browsers.TryGetValue(actor, out var browser))
        {
            _browsers[actor] = browser = await PortalActors.BrowserAsync(portal, actor);
        }
        return browser;
    }
}
