using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Companions;

/// <summary>
/// Every handler of every page, taken from the running app, against every kind of caller. A page added later is
/// covered without touching this test; a page in a folder the table does not know, a page that forgets the case check,
/// or a read that is not logged exactly once fails it.
/// </summary>
public sealed partial class AuthorizationMatrixTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public enum Actor { Anonymous, AssignedCompanion, OtherCompanion, ManagerWithoutReason, ManagerWithReason, Monitor, Auditor, Admin }

    /// <summary>NotFound: a case not theirs answers a companion as an unknown reference would, so neither tells which exists.</summary>
    public enum Outcome { Allowed, ToLogin, Forbidden, NotFound, BreakTheGlass, ToVictimSignIn }

    private const string Secret = "matrix-narrative-only-the-assigned-may-read";
    private const string SafeWord = "matrix-safe-word-canary";
    private const string Place = "matrix-place-canary";

    /// <summary>Route parameters that name a case: a page with one must run behind the case access filter.</summary>
    private static bool NamesACase(string parameter) =>
        parameter.Equals(CaseAccessFilter.ReferenceRouteValue, StringComparison.OrdinalIgnoreCase)
        || parameter.Contains("case", StringComparison.OrdinalIgnoreCase);

    private string _caseA = "";
    private string _caseB = "";
    private int _partnerId;
    private int _platformId;
    private int _sourceId;
    private Guid _staffId;

    public async Task InitializeAsync()
    {
        await portal.SeedDemoAsync();
        var contact = new SafeContact(ContactChannel.Text, "010-5555-0101", null, new TimeOnly(18, 0), new TimeOnly(21, 0), false, SafeWord);
        void WithActivity(Case c, StaffMember? companion) =>
            c.LogActivity(ServiceTrackKind.Legal, TimelineEventKind.Appointment, companion!.Id, DateTimeOffset.UtcNow.AddDays(3), Place, 30, null, DateTimeOffset.UtcNow);
        _caseA = await portal.OpenCaseAsync(Secret, assignTo: CompanionWorld.Companion, contact: contact, more: WithActivity);
        _caseB = await portal.OpenCaseAsync(Secret, assignTo: CompanionWorld.Companion, contact: contact, more: WithActivity);
        await portal.BreakTheGlassAsync(CompanionWorld.Manager, _caseB, "Covering for the companion during sick leave");
        _partnerId = await portal.WithDbAsync(db => db.PartnerInstitutions.Select(p => p.Id).FirstAsync());
        _platformId = await portal.WithDbAsync(db => db.Platforms.Select(p => p.Id).FirstAsync());
        _sourceId = await portal.WithDbAsync(db => db.MonitoringSources.Select(s => s.Id).FirstAsync());
        _staffId = await portal.CreateStaffAsync("matrix.staff@onseoulsafe.example", StaffRoles.Companion);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// The expectation table, per folder. Null: the table has no answer for that page, which fails the matrix:
    /// a new folder needs its row here (and its convention in PortalAuthorization) before it ships.
    /// </summary>
    public static Outcome? Expected(string page, bool addressesCase, Actor actor)
    {
        var segments = page.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var folder = segments.Length > 1 ? segments[0] : "";
        var isManager = actor is Actor.ManagerWithoutReason or Actor.ManagerWithReason;
        var isCompanion = actor is Actor.AssignedCompanion or Actor.OtherCompanion;
        Outcome Only(bool allowed) => allowed ? Outcome.Allowed : Outcome.Forbidden;

        // Public pages first: anyone, signed in or not.
        switch (folder)
        {
            case "" when page is "/Index" or "/Language" or "/Error" or "/Exit":
            case "Report":
            case "Status" when page is "/Status/Index" or "/Status/Recover":
            case "Account" when page is "/Account/Login" or "/Account/TwoFactor":
                return Outcome.Allowed;
            case "Account" when page == "/Account/Denied":
                // The page that tells a caller they may not go on answers 403 itself, to anyone (no sign-in asked).
                return Outcome.Forbidden;
            case "Status":
                // Only a victim's own session (reference + code) opens the rest; no staff account does.
                return Outcome.ToVictimSignIn;
            case "Account" when page is "/Account/Logout" or "/Account/Enrol":
                return actor == Actor.Anonymous ? Outcome.ToLogin : Outcome.Allowed;
            case "" or "Account":
                return null;
        }

        if (actor == Actor.Anonymous) return folder is "Cases" or "Intake" or "Audit" or "Admin" or "Dashboard" or "Monitor" or "Staff" ? Outcome.ToLogin : null;
        return folder switch
        {
            "Cases" when !(isManager || isCompanion) => Outcome.Forbidden,
            "Cases" when !addressesCase => Outcome.Allowed,
            "Cases" when actor == Actor.OtherCompanion => Outcome.NotFound,
            "Cases" when page == "/Cases/BreakTheGlass" => Outcome.Allowed,
            "Cases" when actor == Actor.ManagerWithoutReason => Outcome.BreakTheGlass,
            "Cases" => Outcome.Allowed,
            "Intake" when page == PortalAuthorization.StaffIntakePage => Only(isManager || isCompanion),
            "Intake" or "Dashboard" => Only(isManager),
            "Audit" => Only(actor == Actor.Auditor),
            "Admin" when page == PortalAuthorization.MinorsPracticePage => Only(isManager),
            "Admin" => Only(isManager || actor == Actor.Admin),
            "Monitor" => Only(actor == Actor.Monitor),
            "Staff" => Outcome.Allowed,
            _ => null,
        };
    }

    public static TheoryData<Actor> Actors() => new(Enum.GetValues<Actor>());

    [Theory]
    [MemberData(nameof(Actors))]
    public async Task Every_page_handler_answers_each_caller_as_the_table_says(Actor actor)
    {
        // Arrange
        var pages = await PagesAsync();
        var handlers = pages.SelectMany(p => p.Handlers)
            // Signing out ends the caller's session: last, so every other handler is tried with it.
            .OrderBy(h => h.Page == "/Account/Logout" && h.Method == "Post")
            .ToList();
        handlers.Select(h => h.Page).ShouldContain("/Cases/File");
        handlers.Select(h => h.Page).ShouldContain("/Cases/Track");
        handlers.Select(h => h.Page).ShouldContain("/Cases/Search");
        handlers.Select(h => h.Page).ShouldContain("/Cases/DeletionByPlatform");
        handlers.Select(h => h.Page).ShouldContain("/Intake/Assign");
        handlers.Select(h => h.Page).ShouldContain(PortalAuthorization.MinorsPracticePage);
        handlers.Select(h => h.Page).ShouldContain("/Status/Guardians");
        handlers.Select(h => h.Page).ShouldContain("/Audit/Index");
        handlers.Select(h => h.Page).ShouldContain("/Report/Index");
        handlers.Select(h => h.Page).ShouldContain("/Status/Case");
        handlers.ShouldContain(h => h.Page == "/Cases/Track" && h.Method == "Post" && h.Name == "Refer");
        var reference = actor == Actor.ManagerWithReason ? _caseB : _caseA;
        var caseId = await portal.CaseIdAsync(reference);
        var before = await FootprintAsync(reference);
        using var browser = await BrowserForAsync(actor);
        var staffId = actor == Actor.Anonymous ? (Guid?)null : await portal.StaffIdAsync(AccountOf(actor));
        var token = await CompanionWorld.AntiforgeryTokenAsync(browser, signedIn: actor != Actor.Anonymous);
        // Nobody but the assigned companion, or a manager who stated a reason, may see anything of the file.
        var mayReadTheFile = actor is Actor.AssignedCompanion or Actor.ManagerWithReason;
        var failures = new List<string>();

        // Act
        foreach (var handler in handlers)
        {
            var expected = Expected(handler.Page, handler.AddressesCase, actor);
            if (expected is null)
            {
                failures.Add($"{handler.Page}: the table has no expectation for this page's folder; add one (and its folder convention) before it ships");
                continue;
            }
            var url = UrlFor(handler, reference);
            var lastLogId = await LastAccessLogIdAsync();
            using var request = new HttpRequestMessage(handler.Method == "Post" ? HttpMethod.Post : HttpMethod.Get, url);
            if (handler.Method == "Post") request.Content = new FormUrlEncodedContent([new("__af", token)]);
            using var response = await browser.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var outcome = Classify(response);
            var what = $"{handler.Method} {url} as {actor}";
            if (outcome != expected)
            {
                failures.Add($"{what}: expected {expected}, got {outcome} ({(int)response.StatusCode} {response.Headers.Location})");
            }
            if (!mayReadTheFile || outcome != Outcome.Allowed)
            {
                foreach (var canary in new[] { Secret, SafeWord, Place }.Where(c => body.Contains(c, StringComparison.Ordinal)))
                {
                    failures.Add($"{what}: answered {outcome}, and the answer contains the case's '{canary}'");
                }
            }
            if (handler.AddressesCase)
            {
                failures.AddRange(CheckAccessLog(what, handler, outcome, staffId, await NewAccessLogRowsAsync(lastLogId, caseId)));
            }
        }

        // Assert
        failures.ShouldBeEmpty();
        if (!mayReadTheFile)
        {
            (await FootprintAsync(reference)).ShouldBe(before, "a caller without access changed the case");
        }
    }

    /// <summary>
    /// Every answer about a case leaves exactly one row for it: a view for a GET, an edit for a POST (an export for the
    /// post that makes the case file's document), a denied attempt when refused. Nothing when the caller was sent to sign in or to state a reason (nothing was read), nor for the
    /// break-the-glass form itself, which shows nothing of the file and logs the reason once it is given.
    /// </summary>
    private static IEnumerable<string> CheckAccessLog(string what, PageHandler handler, Outcome outcome, Guid? staffId, List<AccessLogEntry> rows)
    {
        var expected = outcome switch
        {
            Outcome.Allowed when handler.Page == "/Cases/BreakTheGlass" => null,
            Outcome.Allowed when handler.Page == "/Cases/Export" && handler.Method == "Post" => AccessAction.Export,
            Outcome.Allowed => handler.Method == "Post" ? AccessAction.Edit : AccessAction.View,
            Outcome.Forbidden or Outcome.NotFound => AccessAction.Denied,
            _ => (AccessAction?)null,
        };
        var actual = string.Join(", ", rows.Select(r => r.Action));
        if (expected is null)
        {
            if (rows.Count != 0) yield return $"{what}: answered {outcome}, yet wrote access-log rows ({actual})";
            yield break;
        }
        if (rows.Count != 1 || rows[0].Action != expected || rows[0].StaffId != staffId)
        {
            yield return $"{what}: answered {outcome}, so exactly one {expected} row by the caller was due; found [{actual}]";
        }
    }

    [Fact]
    public async Task Every_page_that_names_a_case_in_its_route_runs_behind_the_case_access_filter()
    {
        // Arrange
        var pages = await PagesAsync();

        // Act
        var namingACase = pages.Where(p => p.RouteParameters.Any(NamesACase)).ToList();

        // Assert
        namingACase.Select(p => p.Page).ShouldContain("/Cases/File");
        namingACase.Select(p => p.Page).ShouldContain("/Intake/Assign");
        var outside = namingACase
            .Where(p => !CaseAccessSetup.CaseFolders.Keys.Any(folder => p.Page.StartsWith(folder + "/", StringComparison.Ordinal)) || !p.HasCaseAccessFilter)
            .Select(p => $"{p.Page} ({p.Template})")
            .ToList();
        outside.ShouldBeEmpty("these pages name a case in their address but are not under the case access filter");
    }

    [Fact]
    public async Task A_page_in_a_folder_without_a_convention_is_for_signed_in_staff_with_the_second_factor()
    {
        // Arrange
        await using var scope = portal.Scope();
        var fallback = await scope.ServiceProvider.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();
        var authorization = scope.ServiceProvider.GetRequiredService<IAuthorizationService>();
        static ClaimsPrincipal Staff(string role, bool secondFactor) => new(new ClaimsIdentity(
            [new(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new(ClaimTypes.Role, role), .. secondFactor ? [new Claim(StaffSignInManager.MfaClaim, StaffSignInManager.MfaValue)] : Array.Empty<Claim>()],
            IdentityConstants.ApplicationScheme));

        // Act
        async Task<bool> Allows(ClaimsPrincipal user) => (await authorization.AuthorizeAsync(user, resource: null, fallback!)).Succeeded;

        // Assert
        fallback.ShouldNotBeNull();
        fallback.AuthenticationSchemes.ShouldBe([IdentityConstants.ApplicationScheme]);
        (await Allows(new ClaimsPrincipal(new ClaimsIdentity()))).ShouldBeFalse("anonymous");
        (await Allows(VictimAccess.PrincipalFor(1, 0))).ShouldBeFalse("a victim's session");
        (await Allows(Staff(StaffRoles.Companion, secondFactor: false))).ShouldBeFalse("staff without the second factor");
        (await Allows(Staff("Visitor", secondFactor: true))).ShouldBeFalse("an account without a staff role");
        foreach (var role in StaffRoles.All)
        {
            (await Allows(Staff(role, secondFactor: true))).ShouldBeTrue(role);
        }
    }

    [Theory]
    [InlineData("/health", HttpStatusCode.OK)]
    [InlineData("/css/site.css", HttpStatusCode.OK)]
    [InlineData("/favicon.ico", HttpStatusCode.OK)]
    [InlineData("/", HttpStatusCode.OK)]
    [InlineData("/report", HttpStatusCode.OK)]
    [InlineData("/status", HttpStatusCode.OK)]
    [InlineData("/account/login", HttpStatusCode.OK)]
    [InlineData("/error", HttpStatusCode.OK)]
    [InlineData("/no-such-page", HttpStatusCode.NotFound)]
    [InlineData("/css/no-such-file.css", HttpStatusCode.NotFound)]
    public async Task Public_addresses_answer_without_sign_in_despite_the_staff_fallback(string path, HttpStatusCode status)
    {
        using var browser = portal.Browser("en");

        var response = await browser.GetRawAsync(path);

        response.StatusCode.ShouldBe(status, $"GET {path} -> {response.Headers.Location}");
    }

    [Fact]
    public async Task A_companion_refused_a_case_leaves_a_denied_row_for_each_attempt()
    {
        using var browser = await portal.SignInAsync(CompanionWorld.OtherCompanion);
        var before = (await portal.AccessLogAsync(_caseA)).Count(e => e.Action == AccessAction.Denied);

        var response = await browser.GetRawAsync(CompanionWorld.FileUrl(_caseA));
        var track = await browser.GetRawAsync(CompanionWorld.FileUrl(_caseA) + "/tracks/legal");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        track.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await browser.GetRawAsync(CompanionWorld.FileUrl("SDS-2020-999999"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
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
        var redirect = response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found;
        return response.StatusCode switch
        {
            HttpStatusCode.Forbidden => Outcome.Forbidden,
            HttpStatusCode.NotFound => Outcome.NotFound,
            // The sign-in challenge carries where to come back to; a page's own redirect to the sign-in (the two-factor
            // step without a password step before it) does not, and means the page ran.
            _ when redirect && location.Contains("/account/login?ReturnUrl=", StringComparison.OrdinalIgnoreCase) => Outcome.ToLogin,
            _ when redirect && location.Contains("/account/denied", StringComparison.Ordinal) => Outcome.Forbidden,
            _ when redirect && location.Contains("/break-the-glass", StringComparison.Ordinal) => Outcome.BreakTheGlass,
            _ when redirect && location.Contains("/status?unused=", StringComparison.Ordinal) => Outcome.ToVictimSignIn,
            // 400: the handler was reached and judged the (empty) input; 429: the rate limiter runs after authorization.
            HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.BadRequest or HttpStatusCode.TooManyRequests => Outcome.Allowed,
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
            "id" when handler.Page.StartsWith("/Admin/Sources", StringComparison.Ordinal) => _sourceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "id" => _partnerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            var name => throw new InvalidOperationException(
                $"Page {handler.Page} has route parameter '{name}': give it a sample value here so the page is checked."),
        });
        var query = $"id={_partnerId}" + (string.IsNullOrEmpty(handler.Name) ? "" : "&handler=" + handler.Name);
        return "/" + path.TrimEnd('/') + "?" + query;
    }

    private static DemoData.DemoAccount AccountOf(Actor actor) => actor switch
    {
        Actor.AssignedCompanion => CompanionWorld.Companion,
        Actor.OtherCompanion => CompanionWorld.OtherCompanion,
        Actor.ManagerWithoutReason or Actor.ManagerWithReason => CompanionWorld.Manager,
        Actor.Monitor => CompanionWorld.Monitor,
        Actor.Auditor => CompanionWorld.Auditor,
        Actor.Admin => CompanionWorld.Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(actor), actor, "no account"),
    };

    private async Task<PortalBrowser> BrowserForAsync(Actor actor) =>
        actor == Actor.Anonymous ? portal.Browser() : await portal.SignInAsync(AccountOf(actor));

    private async Task<long> LastAccessLogIdAsync() =>
        await portal.WithDbAsync(db => db.AccessLog.MaxAsync(e => (long?)e.Id)) ?? 0;

    private Task<List<AccessLogEntry>> NewAccessLogRowsAsync(long after, long caseId) =>
        portal.WithDbAsync(db => db.AccessLog.AsNoTracking().Where(e => e.Id > after && e.CaseId == caseId).OrderBy(e => e.Id).ToListAsync());

    private Task<string> FootprintAsync(string reference) =>
        portal.WithDbAsync(async db =>
        {
            var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Reference == reference);
            var events = await db.TimelineEvents.CountAsync(e => e.CaseId == c.Id);
            var messages = await db.Messages.CountAsync(m => m.CaseId == c.Id);
            var referrals = await db.Referrals.CountAsync(r => r.CaseId == c.Id);
            return $"{c.Version}/{c.Status}/{c.AssignedCompanionId}/{events}/{messages}/{referrals}";
        });

    public sealed record PageHandler(string Page, string Template, string Method, string? Name, bool AddressesCase);

    public sealed record PageInfo(string Page, string Template, IReadOnlyList<string> RouteParameters, bool HasCaseAccessFilter, IReadOnlyList<PageHandler> Handlers);

    /// <summary>Every Razor page the running app serves, from its endpoint data source, with its handlers and filters.</summary>
    private async Task<List<PageInfo>> PagesAsync()
    {
        var endpoints = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var loader = portal.Services.GetRequiredService<PageLoader>();
        var pages = new List<PageInfo>();
        foreach (var group in endpoints.OfType<RouteEndpoint>()
                     .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
                     .GroupBy(e => e.Metadata.GetMetadata<PageActionDescriptor>()!.ViewEnginePath))
        {
            var endpoint = group.OrderByDescending(e => e.RoutePattern.RawText!.Length).First();
            var descriptor = endpoint.Metadata.GetMetadata<PageActionDescriptor>()!;
            var compiled = await loader.LoadAsync(descriptor, endpoint.Metadata);
            var template = endpoint.RoutePattern.RawText!;
            var parameters = group.SelectMany(e => e.RoutePattern.Parameters).Select(p => p.Name).Distinct().ToList();
            var addressesCase = parameters.Any(NamesACase);
            var handlers = compiled.HandlerMethods
                .Where(m => m.HttpMethod is "Get" or "Post")
                .Select(m => new PageHandler(descriptor.ViewEnginePath, template, m.HttpMethod, m.Name, addressesCase))
                .ToList();
            if (!compiled.HandlerMethods.Any(m => m.HttpMethod == "Get"))
            {
                handlers.Add(new PageHandler(descriptor.ViewEnginePath, template, "Get", null, addressesCase));
            }
            var hasFilter = compiled.FilterDescriptors.Any(f => f.Filter is CaseAccessFilter);
            pages.Add(new PageInfo(descriptor.ViewEnginePath, template, parameters, hasFilter, handlers));
        }
        return pages;
    }

    [GeneratedRegex(@"\{(?<name>\w+)(:[^}]*)?\??\}")]
    private static partial Regex RouteParameter();
}
