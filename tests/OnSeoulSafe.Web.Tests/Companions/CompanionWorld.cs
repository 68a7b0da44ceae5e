using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Companions;

/// <summary>Demo staff and cases made through the domain, for the companion feature's tests.</summary>
public static class CompanionWorld
{
    public static DemoData.DemoAccount Companion => DemoData.Accounts[0];
    public static DemoData.DemoAccount OtherCompanion => DemoData.Accounts[1];
    public static DemoData.DemoAccount Manager => DemoData.Accounts.Single(a => a.Role == StaffRoles.Manager);
    public static DemoData.DemoAccount Monitor => DemoData.Accounts.Single(a => a.Role == StaffRoles.Monitor);
    public static DemoData.DemoAccount Auditor => DemoData.Accounts.Single(a => a.Role == StaffRoles.Auditor);
    public static DemoData.DemoAccount Admin => DemoData.Accounts.Single(a => a.Role == StaffRoles.Admin);

    public static async Task<PortalBrowser> SignInAsync(this PortalFactory portal, DemoData.DemoAccount account, string culture = "en")
    {
        var browser = portal.Browser(culture);
        var home = await StaffSignIn.AsAsync(portal, browser, account);
        browser.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/staff", $"sign-in of {account.Email}");
        // Form posts carry no culture in their address: the language cookie keeps their answers in the test's language.
        await browser.SubmitAsync(home, [], formSelector: "form.language-switch", submitName: "culture", submitValue: culture);
        return browser;
    }

    public static async Task<Guid> StaffIdAsync(this PortalFactory portal, DemoData.DemoAccount account) =>
        await portal.WithDbAsync(db => db.Users.Where(u => u.Email == account.Email).Select(u => u.Id).SingleAsync());

    /// <summary>Opens a case as a victim's report would, optionally assigned to <paramref name="assignTo"/>.</summary>
    public static async Task<string> OpenCaseAsync(
        this PortalFactory portal,
        string narrative,
        DemoData.DemoAccount? assignTo = null,
        RiskScreening? risk = null,
        string language = "ko",
        SafeContact? contact = null,
        DateTimeOffset? openedAt = null,
        Action<Case, StaffMember?>? more = null)
    {
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var fingerprints = scope.ServiceProvider.GetRequiredService<Fingerprints>();
        var now = openedAt ?? TimeProvider.System.GetUtcNow();
        var number = await db.NextCaseNumberAsync(CancellationToken.None);
        var reference = CaseReference.New();
        var @case = Case.Open(number, reference, Guid.NewGuid().ToByteArray(), new Victim(null, language), [CrimeType.DistributionWithoutConsent], narrative, null,
            risk ?? new RiskScreening(false, false, false, false), contact ?? SafeContact.PortalOnly,
            fingerprints.AccessCode(reference, AccessCode.Generate()), now);
        StaffMember? companion = null;
        if (assignTo is not null)
        {
            companion = await db.Users.SingleAsync(u => u.Email == assignTo.Email);
            var manager = await db.Users.SingleAsync(u => u.Email == Manager.Email);
            @case.AssignTo(companion, manager.Id, now);
        }
        more?.Invoke(@case, companion);
        db.Cases.Add(@case);
        await db.SaveChangesAsync();
        return @case.Reference;
    }

    public static Task<long> CaseIdAsync(this PortalFactory portal, string reference) =>
        portal.WithDbAsync(db => db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync());

    public static Task<List<AccessLogEntry>> AccessLogAsync(this PortalFactory portal, string reference) =>
        portal.WithDbAsync(async db =>
        {
            var id = await db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync();
            return await db.AccessLog.Where(e => e.CaseId == id).OrderBy(e => e.Id).ToListAsync();
        });

    public static async Task BreakTheGlassAsync(this PortalFactory portal, DemoData.DemoAccount manager, string reference, string reason)
    {
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var caseId = await db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync();
        var staffId = await db.Users.Where(u => u.Email == manager.Email).Select(u => u.Id).SingleAsync();
        CaseAccessLog.Record(db, TimeProvider.System.GetUtcNow(), staffId, StaffRoles.Manager, caseId, AccessAction.BreakTheGlass, "/Cases/BreakTheGlass", reason);
        await db.SaveChangesAsync();
    }

    public static string FileUrl(string reference) => "/cases/" + reference.ToLowerInvariant();

    /// <summary>The antiforgery token of a signed-in (or anonymous) browser, read from a page's form.</summary>
    public static async Task<string> AntiforgeryTokenAsync(PortalBrowser browser, bool signedIn)
    {
        var page = await browser.GetAsync(signedIn ? "/staff" : "/account/login");
        return page.QuerySelector("input[name=__af]")!.GetAttribute("value")!;
    }

    public static UserManager<StaffMember> Users(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();

    /// <summary>A staff account made directly (not a demo account), for tests that change or disable it; the existing one when asked again.</summary>
    public static async Task<Guid> CreateStaffAsync(this PortalFactory portal, string email, string role)
    {
        await using var scope = portal.Scope();
        var users = Users(scope);
        if (await users.FindByEmailAsync(email) is { } existing) return existing.Id;
        var member = new StaffMember { UserName = email, Email = email, FirstName = "Test", FullName = "Test " + role, CreatedAt = DateTimeOffset.UtcNow };
        (await users.CreateAsync(member, "a long enough passphrase for tests")).Succeeded.ShouldBeTrue();
        (await users.AddToRoleAsync(member, role)).Succeeded.ShouldBeTrue();
        return member.Id;
    }
}
