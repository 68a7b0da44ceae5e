using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Ground;

/// <summary>
/// Every form of the portal, staff and victim, posted empty by a browser set to Korean: the errors it answers with
/// are Korean, never the framework's English defaults ("The Name field is required.", "The value '' is invalid."),
/// and no text on the answer falls back to English.
/// </summary>
public sealed partial class EmptyFormsInKoreanTests(MissingTranslationsPortal portal) : IClassFixture<MissingTranslationsPortal>, IAsyncLifetime
{
    private readonly Dictionary<string, PortalBrowser> _browsers = [];
    private PortalActors.SampleRoute _route = null!;

    // The framework's own English messages (model binding, DataAnnotations, implicit required).
    [GeneratedRegex(@"field is required|The (value|field|supplied value)\b|A value (is required|for the)|non-empty request body|is not valid|is invalid|must be a number")]
    private static partial Regex FrameworkDefault();

    [GeneratedRegex(@"\p{IsHangulSyllables}")]
    private static partial Regex Hangul();

    public async Task InitializeAsync()
    {
        await portal.SeedDemoAsync();
        var reference = await portal.OpenCaseAsync("empty forms narrative", assignTo: CompanionWorld.Companion);
        var partnerId = await portal.WithDbAsync(db => db.PartnerInstitutions.Select(p => p.Id).FirstAsync());
        var platformId = await portal.WithDbAsync(db => db.Platforms.Select(p => p.Id).FirstAsync());
        var staffId = await portal.CreateStaffAsync("empty.forms@onseoulsafe.example", OnSeoulSafe.Cases.Domain.StaffRoles.Companion);
        _route = new PortalActors.SampleRoute(reference, partnerId, platformId, staffId);
    }

    public Task DisposeAsync()
    {
        foreach (var browser in _browsers.Values) browser.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_form_posted_empty_in_Korean_answers_with_Korean_errors_only()
    {
        // Arrange
        var handlers = PortalActors.SessionEndersLast(await PortalPages.PostHandlersAsync(portal));
        handlers.ShouldContain(h => h.Page == "/Monitor/Report");
        var missing = portal.Services.GetRequiredService<MissingTranslations>();
        missing.Clear();
        var problems = new List<string>();
        var errorsSeen = 0;

        // Act: each form as a browser sends it with nothing filled in (every field empty), and with no field at all.
        foreach (var handler in handlers)
        {
            var actor = PortalActors.For(handler);
            if (!_browsers.TryGetValue(actor, out var browser))
            {
                _browsers[actor] = browser = await PortalActors.BrowserAsync(portal, actor, "ko");
            }
            var token = await PortalActors.TokenAsync(browser, actor);
            var url = PortalPages.UrlFor(handler, name => _route.Value(handler.Page, name));
            foreach (var (what, fields) in new[] { ("every field empty", handler.Fields), ("no field", (IReadOnlyList<string>)[]) })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url)
                {
                    Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f, "")).Append(new("__af", token))),
                };
                using var response = await browser.Client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var document = new HtmlParser().ParseDocument(body);
                var text = document.Body?.TextContent ?? body;
                var errors = document.FieldErrors();
                errorsSeen += errors.Count;
                foreach (var match in FrameworkDefault().Matches(text).Select(m => m.Value).Distinct())
                {
                    problems.Add($"{handler} with {what}: shows the framework's English \"{match}\"");
                }
                foreach (var error in errors.Where(e => !Hangul().IsMatch(e)))
                {
                    problems.Add($"{handler} with {what}: error without Korean \"{error}\"");
                }
            }
        }

        // Assert
        errorsSeen.ShouldBeGreaterThan(handlers.Count, "the empty forms must have been refused with errors for this test to mean anything");
        problems.ShouldBeEmpty(string.Join("\n", problems));
        missing.Keys.ShouldBeEmpty("texts the empty forms' answers asked for without a Korean entry");
    }
}
