using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>Who may open which part of the portal, decided here and nowhere else.</summary>
public static class PortalAuthorization
{
    public const string Staff = "Staff";
    public const string Companions = "Companions";
    public const string Managers = "Managers";
    public const string Monitors = "Monitors";
    public const string Auditors = "Auditors";
    public const string Admins = "Admins";
    public const string Enrolment = "Enrolment";
    public const string Metrics = "Metrics";

    /// <summary>The one intake page companions may open: a report taken by phone or at the center.</summary>
    public const string StaffIntakePage = "/Intake/New";

    /// <summary>The center's practice for minors: managers only, within the administration folder.</summary>
    public const string MinorsPracticePage = "/Admin/MinorsPractice";

    /// <summary>Pages anyone may open: the landing page, language switch, error page, quick exit and the staff sign-in steps.</summary>
    public static readonly IReadOnlyList<string> AnonymousPages =
        ["/Index", "/Language", "/Error", "/Exit", "/Account/Login", "/Account/TwoFactor", "/Account/Denied"];

    private static AuthorizationPolicyBuilder SecondFactor(AuthorizationPolicyBuilder policy) =>
        policy.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(StaffSignInManager.MfaClaim, StaffSignInManager.MfaValue);

    public static IServiceCollection AddPortalAuthorization(this IServiceCollection services)
    {
        // Every staff policy needs a session opened with the second factor; without it only enrolment is reachable.
        // The fallback applies to any page without a convention of its own: a page in a new folder is for staff,
        // never public by accident. Public pages say so explicitly (ApplyFolderPolicies).
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(SecondFactor(new AuthorizationPolicyBuilder()).RequireRole(StaffRoles.All).Build())
            .AddPolicy(Enrolment, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser())
            .AddPolicy(Staff, p => SecondFactor(p).RequireRole(StaffRoles.All))
            // Separation of duties, also for an account that got both kinds of role before the rule existed: the
            // case pages refuse auditors and the access log refuses whoever reads cases.
            .AddPolicy(Companions, p => SecondFactor(p).RequireRole(StaffRoles.Companion, StaffRoles.Manager)
                .RequireAssertion(c => !c.User.IsInRole(StaffRoles.Auditor)))
            .AddPolicy(Managers, p => SecondFactor(p).RequireRole(StaffRoles.Manager))
            .AddPolicy(Monitors, p => SecondFactor(p).RequireRole(StaffRoles.Monitor))
            .AddPolicy(Auditors, p => SecondFactor(p).RequireRole(StaffRoles.Auditor)
                .RequireAssertion(c => !StaffRoles.ReadCases.Any(c.User.IsInRole)))
            .AddPolicy(Admins, p => SecondFactor(p).RequireRole(StaffRoles.Admin, StaffRoles.Manager))
            // The metrics scrape endpoint (PortalTelemetry): Admins only.
            .AddPolicy(Metrics, p => SecondFactor(p).RequireRole(StaffRoles.Admin));
        services.AddCaseAccess();
        return services;
    }

    /// <summary>
    /// Folder conventions: a new page inherits its folder's policy, so a page cannot forget to be protected; a page
    /// in a folder without one falls back to signed-in staff. Victim pages (Report, Status), the landing page and the
    /// staff sign-in steps are anonymous, each named here.
    /// </summary>
    public static void ApplyFolderPolicies(PageConventionCollection conventions)
    {
        foreach (var page in AnonymousPages) conventions.AllowAnonymousToPage(page);
        conventions.AllowAnonymousToFolder("/Report");
        conventions.AuthorizeFolder("/Staff", Staff);
        conventions.AuthorizeFolder("/Cases", Companions);
        conventions.AuthorizeFolder("/Monitor", Monitors);
        conventions.AuthorizeFolder("/Dashboard", Managers);
        // Intake is managers' work, except taking a report by phone or at the center, which companions do too.
        conventions.AddFolderApplicationModelConvention("/Intake", model =>
            model.EndpointMetadata.Add(new AuthorizeAttribute(model.ViewEnginePath == StaffIntakePage ? Companions : Managers)));
        conventions.AuthorizeFolder("/Audit", Auditors);
        conventions.AuthorizeFolder("/Admin", Admins);
        // The practice for minors is the center's casework rule: managers decide it, not account administrators.
        conventions.AuthorizePage(MinorsPracticePage, Managers);
        conventions.AuthorizePage("/Account/Logout", Enrolment);
        conventions.AuthorizePage("/Account/Enrol", Enrolment);
        conventions.AuthorizeFolder("/Status", VictimAccess.Policy);
        conventions.AllowAnonymousToPage("/Status/Index");
        // Asking for a new code opens nothing; collecting needs the companion's approval and the pickup code.
        conventions.AllowAnonymousToPage("/Status/Recover");
        // Within those folders, who may open which case is decided per case (CaseAccessHandler).
        CaseAccessSetup.ApplyCaseAccessConventions(conventions);
    }
}
