using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Security;

/// <summary>
/// Every page the portal serves (read from its endpoints, not a hand-kept list), opened by someone allowed to see it:
/// a Content-Security-Policy that blocks injected script and framing, no inline script or event handler in the HTML
/// that the policy would have to allow, and no caching of any page (any of them may show case data).
/// </summary>
public sealed class ContentSecurityPolicyTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    /// <summary>Pages that show case data; each must be among those checked.</summary>
    private static readonly string[] CaseDataPages =
    [
        "/Cases/Index", "/Cases/File", "/Cases/Track", "/Cases/Deletion", "/Cases/Agenda", "/Intake/Index", "/Intake/Assign",
        "/Intake/Erasure", "/Dashboard/Index", "/Audit/Index", "/Status/Case", "/Status/Links", "/Status/Contact", "/Report/Index",
    ];

    private readonly Dictionary<string, PortalBrowser> _browsers = [];
    private string _reference = "";
    private int _partnerId;
    private int _platformId;
    private Guid _staffId;

    public async Task InitializeAsync()
    {
        await portal.SeedDemoAsync();
        _reference = await portal.OpenCaseAsync("csp narrative", assignTo: CompanionWorld.Companion);
        _partnerId = await portal.WithDbAsync(db => db.PartnerInstitutions.Select(p => p.Id).FirstAsync());
        _platformId = await portal.WithDbAsync(db => db.Platforms.Select(p => p.Id).FirstAsync());
        _staffId = await portal.CreateStaffAsync("csp.staff@onseoulsafe.example", StaffRoles.Companion);
    }

    public Task DisposeAsync()
    {
        foreach (var browser in _browsers.Values) browser.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_page_has_a_strict_policy_no_inline_script_or_handlers_and_is_not_cached()
    {
        // Arrange
        var pages = PortalPages.Pages(portal);
        var checkedPages = new List<string>();
        var failures = new List<string>();
        var parser = new HtmlParser();

        // Act
        foreach (var page in pages)
        {
            var browser = await BrowserForAsync(page);
            var url = Url(page);
            using var response = await browser.Client.GetAsync(url);
            var html = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html") continue;
            checkedPages.Add(page.Path);
            var what = $"{page} ({url}) as {Actor(page)}";

            var policy = response.Headers.TryGetValues("Content-Security-Policy", out var values) ? string.Join(";", values) : "";
            var directives = policy.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(d => d.Split(' ', 2)).ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");
            var scriptSources = directives.GetValueOrDefault("script-src") ?? directives.GetValueOrDefault("default-src") ?? "";
            if (scriptSources.Length == 0) failures.Add($"{what}: no script-src");
            if (scriptSources.Contains("'unsafe-inline'", StringComparison.Ordinal) || scriptSources.Contains("'unsafe-eval'", StringComparison.Ordinal))
            {
                failures.Add($"{what}: script-src allows {scriptSources}");
            }
            if (directives.GetValueOrDefault("frame-ancestors") != "'none'") failures.Add($"{what}: frame-ancestors is not 'none'");
            var nonces = scriptSources.Split(' ').Where(s => s.StartsWith("'nonce-", StringComparison.Ordinal)).Select(s => s[7..^1]).ToHashSet();

            var document = await parser.ParseDocumentAsync(html);
            foreach (var script in document.Scripts.Where(s => string.IsNullOrEmpty(s.Source)))
            {
                if (script.Type is "application/json" or "application/ld+json") continue; // data, never run
                if (!nonces.Contains(script.GetAttribute("nonce") ?? "")) failures.Add($"{what}: inline <script> without the page's nonce");
            }
            foreach (var element in document.All)
            {
                foreach (var attribute in element.Attributes.Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)))
                {
                    failures.Add($"{what}: <{element.LocalName} {attribute.Name}=...> inline event handler");
                }
                if (element.GetAttribute("href")?.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase) == true)
                {
                    failures.Add($"{what}: javascript: link");
                }
            }

            var cacheControl = response.Headers.CacheControl;
            if (cacheControl?.NoStore != true) failures.Add($"{what}: Cache-Control is '{cacheControl}', not no-store");
        }

        // Assert
        pages.Count.ShouldBeGreaterThan(35);
        foreach (var page in CaseDataPages) checkedPages.ShouldContain(page, $"{page} was not opened (status other than 200?)");
        checkedPages.ShouldContain("/Admin/Staff/Edit");
        checkedPages.Count.ShouldBeGreaterThan(pages.Count * 3 / 4);
        failures.ShouldBeEmpty();
    }

    private string Url(PortalPages.Page page) => PortalPages.UrlFor(page, name =>
        new PortalActors.SampleRoute(_reference, _partnerId, _platformId, _staffId).Value(page.Path, name));

    private static string Actor(PortalPages.Page page) => PortalActors.For(page.Folder, page.Path, "/Account/Logout", "/Account/Denied");

    private async Task<PortalBrowser> BrowserForAsync(PortalPages.Page page)
    {
        var actor = Actor(page);
        if (!_browsers.TryGetValue(actor, out var browser))
        {
            _browsers[actor] = browser = await PortalActors.BrowserAsync(portal, actor);
        }
        return browser;
    }
}
