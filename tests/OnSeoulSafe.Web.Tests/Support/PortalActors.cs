using OnSeoulSafe.Web.Tests.Companions;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>
/// A browser for each kind of caller the page-wide tests act as: a victim signed in to a report of their own, an
/// anonymous visitor, or a demo staff account by role name ("companion", "manager", "auditor", "admin", "monitor").
/// </summary>
public static class PortalActors
{
    /// <summary>
    /// Who may reach a page of <paramref name="folder"/>: the folder's role, a victim with a session, or anyone.
    /// <paramref name="signedInAccountPages"/> are the Account pages that need a signed-in staff member.
    /// </summary>
    public static string For(string folder, string page, params string[] signedInAccountPages) => folder switch
    {
        "Cases" or "Staff" => "companion",
        "Intake" or "Dashboard" => "manager",
        // The practice for minors is the one administration page for managers only.
        "Admin" when page == OnSeoulSafe.Web.Infrastructure.PortalAuthorization.MinorsPracticePage => "manager",
        "Audit" => "auditor",
        "Admin" => "admin",
        "Monitor" => "monitor",
        "Account" when signedInAccountPages.Contains(page) => "companion",
        "Status" when page != "/Status/Index" => "victim",
        _ => "anonymous",
    };

    /// <summary>Who may post to <paramref name="handler"/> (the Account pages that need a signed-in staff member included).</summary>
    public static string For(PortalPages.PostHandler handler) => For(handler.Folder, handler.Page, "/Account/Logout", "/Account/Enrol");

    /// <summary>Handlers that end the caller's session or case go last, so the others are reached signed in.</summary>
    public static List<PortalPages.PostHandler> SessionEndersLast(List<PortalPages.PostHandler> handlers) =>
        [.. handlers.OrderBy(h => h.Page is "/Account/Logout" or "/Status/Withdraw" || h.Name == "Leave").ThenBy(h => h.Page, StringComparer.Ordinal)];

    /// <summary>A valid antiforgery token for this browser, from a page the actor may read.</summary>
    public static async Task<string> TokenAsync(PortalBrowser browser, string actor)
    {
        var page = actor switch
        {
            "victim" => "/status/case",
            "anonymous" => "/report",
            _ => "/staff",
        };
        var document = await browser.GetAsync(page);
        return document.QuerySelector("input[name=__af]")!.GetAttribute("value")!;
    }

    /// <summary>A sample value for each route parameter the portal's pages have; a new one must be added here.</summary>
    public sealed record SampleRoute(string Reference, int PartnerId, int PlatformId, Guid StaffId)
    {
        public string Value(string page, string name) => name switch
        {
            "reference" => Reference.ToLowerInvariant(),
            "track" => "legal",
            "id" when page.StartsWith("/Admin/Platforms", StringComparison.Ordinal) => PlatformId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "id" when page.StartsWith("/Admin/Staff", StringComparison.Ordinal) => StaffId.ToString(),
            "id" => PartnerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"Page {page} has route parameter '{name}': give it a sample value here."),
        };
    }

    public static async Task<PortalBrowser> BrowserAsync(PortalFactory portal, string actor, string culture = "en")
    {
        switch (actor)
        {
            case "victim":
                var browser = portal.Browser(culture);
                var (reference, code) = await ReportJourney.FileAsync(browser);
                await ReportJourney.OpenStatusAsync(browser, reference, code);
                return browser;
            case "anonymous":
                return portal.Browser(culture);
            default:
                return await portal.SignInAsync(actor switch
                {
                    "companion" => CompanionWorld.Companion,
                    "manager" => CompanionWorld.Manager,
                    "auditor" => CompanionWorld.Auditor,
                    "admin" => CompanionWorld.Admin,
                    _ => CompanionWorld.Monitor,
                }, culture);
        }
    }
}
