using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Companions;

/// <summary>
/// Every handler of every staff page, taken from the running app, against every kind of caller. A page added later to
/// one of these folders is covered without touching this test; a page that forgets the case check fails it.
/// </summary>
public sealed partial class AuthorizationMatrixTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public enum Actor { Anonymous, AssignedCompanion, OtherCompanion, ManagerWithoutReason, ManagerWithReason, Monitor, Auditor, Admin }

    public enum Outcome { Allowed, ToLogin, Forbidden, BreakTheGlass }

    private const string Secret = "matrix-narrative-only-the-assigned-may-read";

    private static readonly string[] CoveredFolders = ["Cases", "Intake", "Audit", "Admin", "Dashboard", "Monitor", "Staff"];

    private string _caseA = "";
    private string _caseB = "";
    private int _partnerId;
    private int _platformId;
    private Guid _staffId;

    public async Task InitializeAsync()
    {
        await portal.SeedDemoAsync();
        _caseA = await portal.OpenCaseAsync(Secret, assignTo: CompanionWorld.Companion);
        _caseB = await portal.OpenCaseAsync(Secret, assignTo: CompanionWorld.Companion);
        await portal.BreakTheGlassAsync(CompanionWorld.Manager, _caseB, "Covering for the companion during sick leave");
        _partnerId = await portal.WithDbAsync(db => db.PartnerInstitutions.Select(p => p.Id).FirstAsync());
        _platformId = await portal.WithDbAsync(db => db.Platforms.Select(p => p.Id).FirstAsync());
        _staffId = await portal.CreateStaffAsync("matrix.staff@onseoulsafe.example", StaffRoles.Companion);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The expectation table, per folder. Null: the page is outside what this test covers.</summary>
    public static Outcome? Expected(string page, bool addressesCase, Actor actor)
    {
        var folder = page.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
        if (!CoveredFolders.Contains(folder)) return null;
        if (actor == Actor.Anonymous) return Outcome.ToLogin;
        var isManager = actor is Actor.ManagerWithoutReason or Actor.ManagerWithReason;
        var isCompanion = actor is Actor.AssignedCompanion or Actor.OtherCompanion;
        Outcome Only(bool allowed) => allowed ? Outcome.Allowed : Outcome.Forbidden;
        return folder switch
        {
            "Cases" when !(isManager || isCompanion) => Outcome.Forbidden,
            "Cases" when !addressesCase => Outcome.Allowed,
            "Cases" when actor == Actor.OtherCompanion => Outcome.Forbidden,
            "Cases" when page == "/Cases/BreakTheGlass" => Outcome.Allowed,
            "Cases" when actor == Actor.ManagerWithoutReason => Outcome.BreakTheGlass,
            "Cases" => Outcome.Allowed,
            "Intake" or "Dashboard" => Only(isManager),
            "Audit" => Only(actor == Actor.Auditor),
            "Admin" => Only(isManager || actor == Actor.Admin),
            "Monitor" => Only(actor == Actor.Monitor),
            "Staff" => Outcome.Allowed,
            _ => null,
        };
    }

    public static TheoryData<Actor> Actors() => new(Enum.GetValues<Actor>());

    [Theory]
    [MemberData(nameof(Actors))]
    public async Task Every_staff_page_handler_answers_each_caller_as_the_table_says(Actor actor)
    {
        // Arrange
        var handlers = await StaffPageHandlersAsync();
        handlers.Select(h => h.Page).ShouldContain("/Cases/File");
        handlers.Select(h => h.Page).ShouldContain("/Cases/Track");
        handlers.Select(h => h.Page).ShouldContain("/Intake/Assign");
        handlers.Select(h => h.Page).ShouldContain("/Audit/Index");
        handlers.ShouldContain(h => h.Page == "/Cases/Track" && h.Method == "Post" && h.Name == "Refer");
        var reference = actor == Actor.ManagerWithReason ? _caseB : _caseA;
        var before = await FootprintAsync(reference);
        using var browser = await BrowserForAsync(actor);
        var token = await CompanionWorld.AntiforgeryTokenAsync(browser, signedIn: actor != Actor.Anonymous);
        var failures = new List<string>();

        // Act
        foreach (var handler in handlers)
        {
            var expected = Expected(handler.Page, handler.AddressesCase, actor);
            if (expected is null) continue;
            var url = UrlFor(handler, reference);
            using var request = new HttpRequestMessage(handler.Method == "Post" ? HttpMethod.Post : HttpMethod.Get, url);
            if (handler.Method == "Post") request.Content = new FormUrlEncodedContent([new("__af", token)]);
            using var response = await browser.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var outcome = Classify(response);
            if (outcome != expected)
            {
                failures.Add($"{handler.Method} {url} as {actor}: expected {expected}, got {outcome} ({(int)response.StatusCode} {response.Headers.Location})");
            }
            if (outcome != Outcome.Allowed && body.Contains(Secret, StringComparison.Ordinal))
            {
                failures.Add($"{handler.Method} {url} as {actor}: refused, but the answer contains the narrative");
            }
        }

        // Assert
        failures.ShouldBeEmpty();
        if (actor is not (Actor.AssignedCompanion or Actor.ManagerWithReason))
        {
            (await FootprintAsync(reference)).ShouldBe(before, "a caller without access changed the case");
        }
    }

    [Fact]
    public async Task A_companion_refused_a_case_leaves_a_denied_row_for_each_attempt()
    {
        using var browser = await portal.SignInAsync(CompanionWorld.OtherCompanion);
        var before = (await portal.AccessLogAsync(_caseA)).Count(e => e.Action == AccessAction.Denied);

        var response = await browser.GetRawAsync(CompanionWorld.FileUrl(_caseA));
        var track = await browser.GetRawAsync(CompanionWorld.FileUrl(_caseA) + "/tracks/legal");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        track.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var log = await portal.AccessLogAsync(_caseA);
        log.Count(e => e.Action == AccessAction.Denied).ShouldBe(before + 2);
        var otherId = await portal.StaffIdAsync(CompanionWorld.OtherCompanion);
        log.ShouldNotContain(e => e.StaffId == otherId && e.Action != AccessAction.Denied);
    }

    [Fact]
    public async Task A_monitor_turned_away_by_the_folder_policy_is_still_logged_as_a_denied_attempt()
    {
        using var browser = await portal.SignInAsync(CompanionWorld.Monitor);
        var monitorId = await portal.StaffIdAsync(CompanionWorld.Monitor);

        await browser.GetRawAsync(CompanionWorld.FileUrl(_caseA));

        (await portal.AccessLogAsync(_caseA)).ShouldContain(e => e.Action == AccessAction.Denied && e.StaffId == monitorId && e.ActorRole == StaffRoles.Monitor);
    }

    [Fact]
    public async Task Any_other_case_id_in_the_query_or_form_does_not_widen_access()
    {
        using var browser = await portal.SignInAsync(CompanionWorld.OtherCompanion);
        var caseId = await portal.CaseIdAsync(_caseA);

        var list = await browser.GetAsync($"/cases?reference={_caseA}&id={caseId}&caseId={caseId}");
        var agenda = await browser.GetAsync($"/cases/agenda?reference={_caseA}&id={caseId}&caseId={caseId}");

        list.Text().ShouldNotContain(_caseA);
        agenda.Text().ShouldNotContain(_caseA);
    }

    private static Outcome Classify(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.Forbidden => Outcome.Forbidden,
            HttpStatusCode.Redirect or HttpStatusCode.Found when location.Contains("/account/login", StringComparison.Ordinal) => Outcome.ToLogin,
            HttpStatusCode.Redirect or HttpStatusCode.Found when location.Contains("/account/denied", StringComparison.Ordinal) => Outcome.Forbidden,
            HttpStatusCode.Redirect or HttpStatusCode.Found when location.Contains("/break-the-glass", StringComparison.Ordinal) => Outcome.BreakTheGlass,
            // 400: the handler was reached and judged the (empty) input, so access was allowed.
            HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.BadRequest => Outcome.Allowed,
            var other => throw new InvalidOperationException($"Unexpected status {(int)other} from {response.RequestMessage!.RequestUri}"),
        };
    }

    private string UrlFor(PageHandler handler, string reference)
    {
        var path = RouteParameter().Replace(handler.Template, match => match.Groups["name"].Value switch
        {
            "reference" => reference.ToLowerInvariant(),
            "track" => "legal",
            "id" when handler.Page.StartsWith("/Admin/Platforms", StringComparison.Ordinal) => _platformId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "id" when handler.Page.StartsWith("/Admin/Staff", StringComparison.Ordinal) => _staffId.ToString(),
            "id" => _partnerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            var name => throw new InvalidOperationException(
                $"Page {handler.Page} has route parameter '{name}': give it a sample value here so the page is checked."),
        });
        var query = $"id={_partnerId}" + (string.IsNullOrEmpty(handler.Name) ? "" : "&handler=" + handler.Name);
        return "/" + path.TrimEnd('/') + "?" + query;
    }

    private async Task<PortalBrowser> BrowserForAsync(Actor actor) => actor switch
    {
        Actor.Anonymous => portal.Browser(),
        Actor.AssignedCompanion => await portal.SignInAsync(CompanionWorld.Companion),
        Actor.OtherCompanion => await portal.SignInAsync(CompanionWorld.OtherCompanion),
        Actor.ManagerWithoutReason or Actor.ManagerWithReason => await portal.SignInAsync(CompanionWorld.Manager),
        Actor.Monitor => await portal.SignInAsync(CompanionWorld.Monitor),
        Actor.Auditor => await portal.SignInAsync(CompanionWorld.Auditor),
        _ => await portal.SignInAsync(CompanionWorld.Admin),
    };

    private Task<string> FootprintAsync(string reference) =>
        portal.WithDbAsync(async db =>
        {
            var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Reference == reference);
            var events = await db.TimelineEvents.CountAsync(e => e.CaseId == c.Id);
            var messages = await db.Messages.CountAsync(m => m.CaseId == c.Id);
            var referrals = await db.Referrals.CountAsync(r => r.CaseId == c.Id);
            return $"{c.Version}/{c.Status}/{c.AssignedCompanionId}/{events}/{messages}/{referrals}";
        });

    public sealed record PageHandler(string Page, string Template, string Method, string? Name)
    {
        public bool AddressesCase => Template.Contains("{reference", StringComparison.Ordinal);
    }

    private async Task<List<PageHandler>> StaffPageHandlersAsync()
    {
        var endpoints = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var loader = portal.Services.GetRequiredService<PageLoader>();
        var handlers = new List<PageHandler>();
        foreach (var group in endpoints.OfType<RouteEndpoint>()
                     .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
                     .GroupBy(e => e.Metadata.GetMetadata<PageActionDescriptor>()!.ViewEnginePath))
        {
            var endpoint = group.OrderByDescending(e => e.RoutePattern.RawText!.Length).First();
            var descriptor = endpoint.Metadata.GetMetadata<PageActionDescriptor>()!;
            var compiled = await loader.LoadAsync(descriptor, endpoint.Metadata);
            var template = endpoint.RoutePattern.RawText!;
            foreach (var method in compiled.HandlerMethods.Where(m => m.HttpMethod is "Get" or "Post"))
            {
                handlers.Add(new PageHandler(descriptor.ViewEnginePath, template, method.HttpMethod, method.Name));
            }
            if (!compiled.HandlerMethods.Any(m => m.HttpMethod == "Get"))
            {
                handlers.Add(new PageHandler(descriptor.ViewEnginePath, template, "Get", null));
            }
        }
        return handlers;
    }

    [GeneratedRegex(@"\{(?<name>\w+)(:[^}]*)?\??\}")]
    private static partial Regex RouteParameter();
}
