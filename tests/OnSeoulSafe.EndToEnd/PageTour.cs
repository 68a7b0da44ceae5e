using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.EndToEnd.Support;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.EndToEnd;

/// <summary>
/// Every page of the portal, one row each: who opens it and how. <see cref="PageTourTests"/> fails when the app has a
/// page without a row here, so a new page is checked as soon as it exists. Rows run in this order and later rows use
/// what earlier ones made (the victim's report, its assignment, a monitor's report, an erasure request).
/// </summary>
public static class PageTour
{
    public static readonly IReadOnlyList<TourStop> Stops =
    [
        // The victim, on a phone, anonymous: reports, then opens the case with the reference and code.
        new("/Index", Visitor.Victim, (t, p) => t.ShowAsync(p, "/", "landing")),
        new("/Report/Index", Visitor.Victim, async (t, p) =>
        {
            await t.PostFormsEmptyAsync(p, "/report", "report-1");
            (t.Reference, t.Code) = await Intake.FileAsync(p, t.CheckAsync);
        }),
        new("/Status/Index", Visitor.Victim, async (t, p) =>
        {
            await t.PostFormsEmptyAsync(p, "/status", "status-sign-in");
            await Intake.OpenStatusAsync(p, t.Reference, t.Code, t.CheckAsync);
        }),
        new("/Status/Case", Visitor.Victim, (t, p) => t.ShowAsync(p, "/status/case", "status-case")),
        new("/Status/Written", Visitor.Victim, (t, p) => t.ShowAsync(p, "/status/written", "status-written")),
        new("/Status/Amend", Visitor.Victim, (t, p) => t.ShowAsync(p, "/status/amend", "status-amend")),
        new("/Status/Links", Visitor.Victim, (t, p) => t.ShowAsync(p, "/status/links", "status-links")),
        new("/Status/Contact", Visitor.Victim, (t, p) => t.ShowAsync(p, "/status/contact", "status-contact")),
        new("/Status/Consents", Visitor.Victim, (t, p) => t.ShowAsync(p, "/status/consents", "status-consents")),
        new("/Status/Guardians", Visitor.Victim, (t, p) => t.ShowAsync(p, "/status/guardians", "status-guardians")),
        new("/Status/Withdraw", Visitor.Victim, async (t, p) =>
        {
            // The victim asks for erasure first: the page then shows the request, and the managers' queue has one.
            await p.GotoAsync("/status/withdraw");
            await p.Locator("#ConfirmErasure").CheckAsync();
            await p.Locator("#erase-form button[type=submit]").ClickAsync();
            await p.Locator("#case-status").WaitForAsync();
            await t.ShowAsync(p, "/status/withdraw", "status-withdraw");
        }),
        // She asks for a new code (the companion's recovery page below shows the request); nothing is approved here.
        new("/Status/Recover", Visitor.Victim, async (t, p) =>
        {
            await t.ShowAsync(p, "/status/recover", "status-recover");
            await p.Locator("#Reference").FillAsync(t.Reference);
            await p.Locator("#ask-form button[type=submit]").ClickAsync();
            await p.Locator("#pickup-code").WaitForAsync();
            await t.CheckAsync(p, "status-recover-asked");
        }),
        new("/Language", Visitor.Victim, (t, p) => t.RedirectsAsync(p, "/language")),
        new("/Error", Visitor.Victim, (t, p) => t.ShowAsync(p, "/no-such-page", "error-not-found")),
        // Last of the victim's rows: the quick exit ends her session.
        new("/Exit", Visitor.Victim, (t, p) => t.LeavesForAsync(p, "/exit", PortalServer.NeutralSite)),

        // Signing in: the password, then the second step (not completed here), and a new account's enrolment.
        new("/Account/Login", Visitor.Anonymous, (t, p) => t.ShowAsync(p, "/account/login", "staff-sign-in")),
        new("/Account/TwoFactor", Visitor.Anonymous, async (t, p) =>
        {
            await PortalServer.EnterPasswordAsync(p, DemoData.Accounts.First(a => a.Role == StaffRoles.Auditor));
            await t.CheckAsync(p, "staff-two-factor");
            await t.PostFormsEmptyAsync(p, new Uri(p.Url).PathAndQuery, "staff-two-factor");
        }),
        new("/Account/Enrol", Visitor.Newcomer, async (t, p) =>
        {
            await t.CheckAsync(p, "staff-enrol");
            await t.PostFormsEmptyAsync(p, new Uri(p.Url).PathAndQuery, "staff-enrol");
        }),
        new("/Account/Denied", Visitor.Monitor, async (t, p) =>
        {
            await p.GotoAsync("/dashboard");
            await p.WaitForURLAsync("**/account/denied**");
            await t.CheckAsync(p, "staff-denied");
        }),
        new("/Account/Logout", Visitor.Monitor, (t, p) => t.RedirectsAsync(p, "/account/logout")),
        new("/Staff/Index", Visitor.Companion, (t, p) => t.ShowAsync(p, "/staff", "staff-home")),

        // A citizen monitor reports a link (the managers' triage queue shows it below).
        new("/Monitor/Report", Visitor.Monitor, async (t, p) =>
        {
            await t.ShowAsync(p, "/monitor/report", "monitor-report");
            await p.Locator("#Input_Url").FillAsync($"https://video.example.com/watch/tour-{t.Language}");
            await p.Locator("#kind-Video").CheckAsync();
            await p.Locator("#monitor-report button[type=submit]").ClickAsync();
            await p.WaitForURLAsync(url => !url.Contains("/monitor/report", StringComparison.Ordinal));
        }),
        new("/Monitor/Index", Visitor.Monitor, (t, p) => t.ShowAsync(p, "/monitor", "monitor-reports")),

        // A manager triages and assigns the victim's case to the first demo companion.
        new("/Intake/Index", Visitor.Manager, (t, p) => t.ShowAsync(p, "/intake", "intake-queue")),
        new("/Intake/New", Visitor.Companion, async (t, p) =>
        {
            await t.ShowAsync(p, "/intake/new", "intake-new");
            await t.PostFormsEmptyAsync(p, "/intake/new", "intake-new");
        }),
        new("/Intake/Assign", Visitor.Manager, async (t, p) =>
        {
            await t.ShowAsync(p, $"/intake/assign/{t.CaseSegment}", "intake-assign");
            var companion = DemoData.Accounts.First(a => a.Role == StaffRoles.Companion);
            await p.Locator($"#c-{await t.Portal.StaffIdAsync(companion.Email)}").CheckAsync();
            await p.Locator("#assign-form button[type=submit]").ClickAsync();
            await p.WaitForURLAsync(url => !url.Contains("/assign/", StringComparison.Ordinal));
        }),
        new("/Intake/MonitorReports", Visitor.Manager, (t, p) => t.ShowAsync(p, "/intake/monitor-reports", "intake-monitor-reports")),
        new("/Intake/Erasure", Visitor.Manager, (t, p) => t.ShowAsync(p, "/intake/erasure", "intake-erasure")),
        new("/Dashboard/Index", Visitor.Manager, (t, p) => t.ShowAsync(p, "/dashboard", "dashboard")),
        new("/Cases/Search", Visitor.Manager, (t, p) => t.ShowAsync(p, "/cases/search", "cases-search")),
        new("/Cases/DeletionByPlatform", Visitor.Manager, (t, p) => t.ShowAsync(p, "/cases/deletion-queue/by-platform", "cases-deletion-by-platform")),
        new("/Cases/DeletionQueue", Visitor.Manager, (t, p) => t.ShowAsync(p, "/cases/deletion-queue", "deletion-queue")),
        new("/Cases/Escalation", Visitor.Manager, (t, p) => t.ShowAsync(p, "/cases/escalation", "cases-escalation")),
        new("/Intake/Caseload", Visitor.Manager, async (t, p) =>
            await t.ShowAsync(p, $"/intake/caseload?staff={await t.Portal.StaffIdAsync(DemoData.Accounts.First(a => a.Role == StaffRoles.Companion).Email)}", "intake-caseload")),
        // The case is the companion's, so a manager is asked for a reason first.
        new("/Cases/BreakTheGlass", Visitor.Manager, (t, p) => t.ShowAsync(p, $"/cases/{t.CaseSegment}/break-the-glass", "case-break-the-glass")),

        // The companion works on the assigned case.
        new("/Cases/Index", Visitor.Companion, (t, p) => t.ShowAsync(p, "/cases", "cases")),
        new("/Cases/Agenda", Visitor.Companion, (t, p) => t.ShowAsync(p, "/cases/agenda", "cases-agenda")),
        new("/Cases/CalendarFeed", Visitor.Companion, (t, p) => t.ShowAsync(p, "/cases/agenda/feed", "cases-calendar-feed")),
        new("/Cases/MatchReview", Visitor.Companion, (t, p) => t.ShowAsync(p, "/cases/match-review", "cases-match-review")),
        new("/Cases/Export", Visitor.Companion, (t, p) => t.ShowAsync(p, $"/cases/{t.CaseSegment}/export", "case-export")),
        new("/Cases/File", Visitor.Companion, (t, p) => t.ShowAsync(p, $"/cases/{t.CaseSegment}", "case-file")),
        new("/Cases/Track", Visitor.Companion, (t, p) => t.ShowAsync(p, $"/cases/{t.CaseSegment}/tracks/investigation", "case-track")),
        new("/Cases/Deletion", Visitor.Companion, (t, p) => t.ShowAsync(p, $"/cases/{t.CaseSegment}/deletion", "case-deletion")),
        new("/Cases/Recovery", Visitor.Companion, (t, p) => t.ShowAsync(p, $"/cases/{t.CaseSegment}/recovery", "case-recovery")),
        new("/Cases/Close", Visitor.Companion, (t, p) => t.ShowAsync(p, $"/cases/{t.CaseSegment}/close", "case-close")),

        // The auditor reads the access log.
        new("/Audit/Index", Visitor.Auditor, (t, p) => t.ShowAsync(p, "/audit", "audit-log")),
        new("/Audit/Verify", Visitor.Auditor, (t, p) => t.ShowAsync(p, "/audit/verify", "audit-verify")),

        // The administrator keeps the lists of partners, platforms and monitoring sources.
        new("/Admin/Partners/Index", Visitor.Admin, (t, p) => t.ShowAsync(p, "/admin/partners", "admin-partners")),
        new("/Admin/Partners/Edit", Visitor.Admin, async (t, p) =>
            await t.ShowAsync(p, $"/admin/partners/edit/{await t.Portal.WithDbAsync(db => db.PartnerInstitutions.MinAsync(x => x.Id))}", "admin-partner-edit")),
        new("/Admin/Platforms/Index", Visitor.Admin, (t, p) => t.ShowAsync(p, "/admin/platforms", "admin-platforms")),
        new("/Admin/Notices/Index", Visitor.Admin, (t, p) => t.ShowAsync(p, "/admin/notices", "admin-notices")),
        new("/Admin/Platforms/Edit", Visitor.Admin, async (t, p) =>
            await t.ShowAsync(p, $"/admin/platforms/edit/{await t.Portal.WithDbAsync(db => db.Platforms.MinAsync(x => x.Id))}", "admin-platform-edit")),
        new("/Admin/Sources/Index", Visitor.Admin, (t, p) => t.ShowAsync(p, "/admin/sources", "admin-sources")),
        new("/Admin/Sources/Edit", Visitor.Admin, async (t, p) =>
            await t.ShowAsync(p, $"/admin/sources/edit/{await t.Portal.WithDbAsync(db => db.MonitoringSources.MinAsync(x => x.Id))}", "admin-source-edit")),
        // The center's practice for minors is a manager's to keep, not an account administrator's.
        new("/Admin/MinorsPractice", Visitor.Manager, (t, p) => t.ShowAsync(p, "/admin/minors-practice", "admin-minors-practice")),
        new("/Admin/Staff/Index", Visitor.Admin, (t, p) => t.ShowAsync(p, "/admin/staff", "admin-staff")),
        new("/Admin/Staff/New", Visitor.Admin, (t, p) => t.ShowAsync(p, "/admin/staff/new", "admin-staff-new")),
        new("/Admin/Staff/Edit", Visitor.Admin, async (t, p) =>
            await t.ShowAsync(p, $"/admin/staff/edit/{await t.Portal.StaffIdAsync(DemoData.Accounts.First(a => a.Role == StaffRoles.Companion).Email)}", "admin-staff-edit")),
    ];
}

/// <summary>Who opens a page: each has one browser profile for the whole tour, signed in when the tour starts it.</summary>
public enum Visitor { Victim, Anonymous, Newcomer, Companion, Manager, Monitor, Auditor, Admin }

/// <summary>A page (its Razor Pages path, as the app names it), its visitor, and how the visitor gets there.</summary>
public sealed record TourStop(string Page, Visitor Visitor, Func<Tour, IPage, Task> Visit);
