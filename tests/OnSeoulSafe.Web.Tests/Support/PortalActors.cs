using OnSeoulSafe.Web.Tests.Companions;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>
/// A browser for each kind of caller the page-wide tests act as: a victim signed in to a report of their own, an
/// anonymous visitor, or a demo staff account by role name ("companion", "manager", "auditor", "admin", "monitor").
/// </summary>
public static class PortalActors
{
    public static async Task<PortalBrowser> BrowserAsync(PortalFactory portal, string actor)
    {
        switch (actor)
        {
            case "victim":
                var browser = portal.Browser("en");
                var (reference, code) = await ReportJourney.FileAsync(browser);
                await ReportJourney.OpenStatusAsync(browser, reference, code);
                return browser;
            case "anonymous":
                return portal.Browser("en");
            default:
                return await portal.SignInAsync(actor switch
                {
                    "companion" => CompanionWorld.Companion,
                    "manager" => CompanionWorld.Manager,
                    "auditor" => CompanionWorld.Auditor,
                    "admin" => CompanionWorld.Admin,
                    _ => CompanionWorld.Monitor,
                });
        }
    }
}
