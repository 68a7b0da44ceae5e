using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Security;

/// <summary>Requests an outside probe found answered with a 500, a trace left behind, or a link staff should not open.</summary>
public sealed class ProbeFindingsTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string Ipv6Link = "http://[2001:db8::1]/x";

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> CaseWithLinksAsync(params string[] links)
    {
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = portal.Clock.GetUtcNow();
        var @case = await TestCases.OpenAsync(db, now, deletionConsent: true);
        var companion = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Companion.Email);
        var manager = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Manager.Email);
        @case.AssignTo(companion, manager.Id, now);
        await scope.ServiceProvider.GetRequiredService<ContentLedger>()
            .AddLinksAsync(@case, links.Select(l => new NewLink(l, ContentKind.Video)).ToList(), ContentFinder.Victim, null, CancellationToken.None);
        await db.SaveChangesAsync();
        return @case.Reference;
    }

    [Fact]
    public async Task An_IPv6_link_in_a_report_is_kept_and_every_page_that_shows_it_answers()
    {
        // Arrange / Act: the victim reports it, then looks at her links.
        using var victim = portal.Browser("en");
        var done = await ReportJourney.SendAsync(victim, await ReportJourney.ReviewAsync(victim, links: Ipv6Link));
        victim.LastStatus.ShouldBe(HttpStatusCode.OK);
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        await ReportJourney.OpenStatusAsync(victim, reference, done.QuerySelector("#access-code")!.TextContent.Trim());
        await victim.SubmitAsync(await victim.GetAsync("/status/links"), [new("Links", "http://[2001:DB8::2]/y")]);
        var added = victim.LastStatus;
        var caseId = await portal.CaseIdAsync(reference);
        var stored = await portal.WithDbAsync(db => db.ContentItems.Where(i => i.CaseId == caseId).Select(i => i.Url).ToListAsync());

        // Assert
        added.ShouldBe(HttpStatusCode.OK);
        stored.Order().ShouldBe(["http://[2001:db8::1]/x", "http://[2001:db8::2]/y"]);
        var ledgerCase = await CaseWithLinksAsync(Ipv6Link);
        using var companion = await portal.SignInAsync(CompanionWorld.Companion);
        var ledger = await companion.GetAsync($"/cases/{ledgerCase.ToLowerInvariant()}/deletion");
        ledger.Text().ShouldContain("[2001:db8::1]");
        using var monitor = await portal.SignInAsync(CompanionWorld.Monitor);
        var form = await monitor.GetAsync("/monitor/report");
        await monitor.SubmitAsync(form, [new("Input.Url", Ipv6Link), new("Input.Kind", "Video"), new("Input.Note", "")], "#monitor-report");
        ((int)monitor.LastStatus).ShouldBeLessThan(500);
    }

    [Fact]
    public async Task A_victims_link_to_an_internal_address_is_shown_to_staff_but_not_as_a_link_to_open()
    {
        // Arrange
        var reference = await CaseWithLinksAsync("http://169.254.169.254/latest/meta-data", "http://127.0.0.1:5432/x", "https://video.example.com/watch/public-1");
        using var companion = await portal.SignInAsync(CompanionWorld.Companion);

        // Act
        var ledger = await companion.GetAsync($"/cases/{reference.ToLowerInvariant()}/deletion");

        // Assert
        var hrefs = ledger.QuerySelectorAll("#ledger-form a[target=_blank]").Select(a => a.GetAttribute("href")).ToList();
        hrefs.ShouldBe(["https://video.example.com/watch/public-1"]);
        ledger.Text().ShouldContain("169.254.169.254");
        ledger.QuerySelectorAll(".internal-address").Length.ShouldBe(2);
    }

    [Fact]
    public async Task A_return_address_with_non_ascii_characters_on_the_language_switch_is_sent_back_encoded()
    {
        const string returnUrl = "/status/사례?x=가";
        // Arrange
        using var browser = portal.Browser("en");
        var token = (await browser.GetAsync("/")).QuerySelector("input[name=__af]")!.GetAttribute("value")!;

        // Act
        using var response = await browser.Client.PostAsync("/language", new FormUrlEncodedContent(
            [new("__af", token), new("culture", "ko"), new("returnUrl", returnUrl)]));

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!.OriginalString;
        location.ShouldStartWith("/");
        location.All(char.IsAscii).ShouldBeTrue();
        Uri.UnescapeDataString(location).ShouldBe(returnUrl);
    }

    [Fact]
    public async Task A_post_or_handler_a_page_does_not_have_is_answered_without_a_server_error()
    {
        // Arrange
        var reference = (await CaseWithLinksAsync("https://video.example.com/watch/handlerless")).ToLowerInvariant();
        using var companion = await portal.SignInAsync(CompanionWorld.Companion);
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);
        using var auditor = await portal.SignInAsync(CompanionWorld.Auditor);
        var failures = new List<string>();
        async Task CheckAsync(PortalBrowser browser, HttpMethod method, string url)
        {
            var token = await CompanionWorld.AntiforgeryTokenAsync(browser, signedIn: true);
            using var request = new HttpRequestMessage(method, url) { Content = method == HttpMethod.Post ? new FormUrlEncodedContent([new("__af", token)]) : null };
            using var response = await browser.Client.SendAsync(request);
            // A GET with an unknown handler name runs the page's plain OnGet; a POST no handler answers is refused.
            var acceptable = method == HttpMethod.Post ? response.StatusCode == HttpStatusCode.MethodNotAllowed : (int)response.StatusCode < 500;
            if (!acceptable) failures.Add($"{method} {url}: {(int)response.StatusCode}");
        }

        // Act
        await CheckAsync(companion, HttpMethod.Post, $"/cases/{reference}");
        await CheckAsync(companion, HttpMethod.Post, $"/cases/{reference}/deletion");
        await CheckAsync(companion, HttpMethod.Post, $"/cases/{reference}/tracks/legal");
        await CheckAsync(manager, HttpMethod.Get, "/dashboard?handler=x");
        await CheckAsync(manager, HttpMethod.Post, "/dashboard?handler=x");
        await CheckAsync(auditor, HttpMethod.Get, "/audit/verify?handler=x");
        await CheckAsync(auditor, HttpMethod.Post, "/audit/verify?handler=x");

        // Assert
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_language_choice_lasts_only_for_the_browser_session_and_the_quick_exit_removes_it()
    {
        // Arrange
        using var browser = portal.Browser("en");
        var token = (await browser.GetAsync("/")).QuerySelector("input[name=__af]")!.GetAttribute("value")!;

        // Act
        using var switched = await browser.Client.PostAsync("/language", new FormUrlEncodedContent(
            [new("__af", token), new("culture", "en"), new("returnUrl", "/report")]));
        var exit = await browser.GetRawAsync("/exit");

        // Assert
        var set = switched.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
        set.ShouldNotContain("expires", Shouldly.Case.Insensitive);
        set.ShouldNotContain("max-age", Shouldly.Case.Insensitive);
        var removed = exit.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
        removed.ShouldContain("expires=Thu, 01 Jan 1970", Shouldly.Case.Insensitive);
    }

    [Fact]
    public async Task Another_companions_case_and_an_unknown_reference_give_the_same_answer()
    {
        // Arrange
        var reference = await CaseWithLinksAsync("https://video.example.com/watch/same-answer");
        using var other = await portal.SignInAsync(CompanionWorld.OtherCompanion);

        // Act
        var theirs = await other.GetRawAsync(CompanionWorld.FileUrl(reference));
        var unknown = await other.GetRawAsync(CompanionWorld.FileUrl("SDS-2020-999999"));

        // Assert
        theirs.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        var theirsPage = parser.ParseDocument(await theirs.Content.ReadAsStringAsync());
        var unknownPage = parser.ParseDocument(await unknown.Content.ReadAsStringAsync());
        theirsPage.Text().ShouldBe(unknownPage.Text());
    }
}
