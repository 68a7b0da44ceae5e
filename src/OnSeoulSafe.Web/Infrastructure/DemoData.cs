using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Demo accounts and a few realistic cases for trying the portal locally. Development only, and only when
/// asked (<c>--seed-demo</c>). Links use reserved example domains and are never fetched.
/// </summary>
public static class DemoData
{
    public sealed record DemoAccount(string Email, string Password, string Role, string FirstName, string FullName, string[] Languages);

    public static readonly IReadOnlyList<DemoAccount> Accounts =
    [
        new("companion@onseoulsafe.example", "blue-lantern-harbour", StaffRoles.Companion, "지영", "김지영", ["ko", "en"]),
        new("companion2@onseoulsafe.example", "green-kettle-morning", StaffRoles.Companion, "Minho", "Park Minho", ["ko"]),
        new("manager@onseoulsafe.example", "paper-crane-orchard", StaffRoles.Manager, "수진", "이수진", ["ko", "en"]),
        new("monitor@onseoulsafe.example", "silver-tide-compass", StaffRoles.Monitor, "Hana", "Choi Hana", ["ko"]),
        new("auditor@onseoulsafe.example", "amber-ledger-window", StaffRoles.Auditor, "Doyun", "Jung Doyun", ["ko", "en"]),
        new("admin@onseoulsafe.example", "granite-maple-signal", StaffRoles.Admin, "Seo", "Han Seo", ["ko", "en"]),
    ];

    public static async Task SeedDemoDataIfAskedAsync(this WebApplication app, string[] args)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await EnsureRolesAsync(scope.ServiceProvider);
        }
        if (!args.Contains("--seed-demo")) return;
        if (!app.Environment.IsDevelopment())
        {
            app.Logger.LogWarning("--seed-demo ignored: demo data is only seeded in Development.");
            return;
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await SeedAsync(scope.ServiceProvider, CancellationToken.None);
            await AddSimulatedBoardsPlatformAsync(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
        }
        // Printed to the console for the person running the portal locally; these are public demo passwords.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
            Console.WriteLine();
            Console.WriteLine("Demo accounts (Development only). Sign-in needs a TOTP code: add the key to an authenticator app,");
            Console.WriteLine("or run: oathtool --totp -b KEY");
            foreach (var account in Accounts)
            {
                var member = await users.FindByEmailAsync(account.Email);
                var key = member is null ? "" : await users.GetAuthenticatorKeyAsync(member);
                Console.WriteLine($"  {account.Role,-10} {account.Email,-34} {account.Password,-22} TOTP key {key}");
            }
            Console.WriteLine();
        }
    }

    /// <summary>
    /// The simulated boards all live on 127.0.0.1, so they are one platform to the portal; its notices go to
    /// lanternboard's endpoint, which takes its posts down two minutes later. Loopback is reached only when the notice
    /// sender is allowed private addresses, as ./build.sh run does. Only for a run with demo data: tests host their
    /// own boards and platforms on 127.0.0.1.
    /// </summary>
    private static async Task AddSimulatedBoardsPlatformAsync(PortalDbContext db)
    {
        const string name = "Simulated boards (demo)";
        if (await db.Platforms.AnyAsync(p => p.Name == name)) return;
        var boards = new Platform(name, ["127.0.0.1"], RequestChannel.WebForm, "http://127.0.0.1:5091/notice",
            "{platform} 삭제 요청\n접수번호: {reference}\n{links}", "Removal request to {platform}\nReference: {reference}\n{links}");
        boards.ConfigureNotices(NoticeDelivery.HttpEndpoint, "http://127.0.0.1:5091/notice", NoticeBodyFormat.Json, null, "ko", TimeSpan.FromSeconds(10), TimeSpan.FromHours(24));
        db.Platforms.Add(boards);
        await db.SaveChangesAsync();
    }

    public static async Task EnsureRolesAsync(IServiceProvider services)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        foreach (var role in StaffRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole<Guid>(role));
            }
        }
    }

    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await EnsureRolesAsync(services);
        var users = services.GetRequiredService<UserManager<StaffMember>>();
        var db = services.GetRequiredService<PortalDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var fingerprints = services.GetRequiredService<Fingerprints>();
        var now = clock.GetUtcNow();

        var staff = new Dictionary<string, StaffMember>();
        foreach (var account in Accounts)
        {
            var member = await users.FindByEmailAsync(account.Email);
            if (member is null)
            {
                member = new StaffMember
                {
                    UserName = account.Email,
                    Email = account.Email,
                    EmailConfirmed = true,
                    FirstName = account.FirstName,
                    FullName = account.FullName,
                    Languages = [.. account.Languages],
                    CreatedAt = now,
                };
                Check(await users.CreateAsync(member, account.Password));
                Check(await users.AddToRoleAsync(member, account.Role));
                // Enrolled already, so the demo needs only an authenticator app with the printed key.
                Check(await users.ResetAuthenticatorKeyAsync(member));
                Check(await users.SetTwoFactorEnabledAsync(member, true));
            }
            staff[account.Role + (account.Email.StartsWith("companion2", StringComparison.Ordinal) ? "2" : "")] = member;
        }

        if (await db.Cases.AnyAsync(cancellationToken)) return;

        db.Platforms.AddRange(
            new Platform("ExampleTube", ["video.example.com"], RequestChannel.WebForm, "https://video.example.com/report",
                "{reference} 사례의 피해 영상 삭제를 요청합니다.\n{links}\n근거: 성폭력처벌법 제14조, 정보통신망법 제44조의2.",
                "We request removal of content concerning case {reference}.\n{links}\nBasis: Sexual Violence Punishment Act art. 14; Network Act art. 44-2."),
            new Platform("ExampleSocial", ["social.example.net", "sn.example.net"], RequestChannel.TrustedFlagger, "flagger@social.example.net",
                "{reference} 사례 관련 게시물 삭제 요청\n{links}", "Removal request for case {reference}\n{links}"));
        // The simulated boards ./build.sh run starts beside the portal (loopback only; monitoring itself is off unless configured).
        db.MonitoringSources.AddRange(
            new MonitoringSource("lanternboard (simulated)", "http://127.0.0.1:5091/", null, 1, TimeSpan.FromMinutes(5), 2, 5, now),
            new MonitoringSource("harbourclips (simulated)", "http://127.0.0.1:5092/", null, 1, TimeSpan.FromMinutes(5), 1, 2, now),
            new MonitoringSource("quietpost (simulated)", "http://127.0.0.1:5093/", null, 1, TimeSpan.FromMinutes(5), 1, 2, now),
            new MonitoringSource("tangleweb (simulated)", "http://127.0.0.1:5094/", null, 1, TimeSpan.FromMinutes(5), 1, 1, now));
        db.PartnerInstitutions.AddRange(
            new PartnerInstitution("서울경찰청 사이버수사대 (demo)", ServiceTrackKind.Investigation, null),
            new PartnerInstitution("Seoul Victim Legal Aid (demo)", ServiceTrackKind.Legal, null),
            new PartnerInstitution("서울해바라기센터 (demo)", ServiceTrackKind.Medical, null),
            new PartnerInstitution("Seoul Trauma Counselling Institute (demo)", ServiceTrackKind.Psychological, null));
        await db.SaveChangesAsync(cancellationToken);

        var companion = staff[StaffRoles.Companion];
        var manager = staff[StaffRoles.Manager];

        var first = await OpenAsync(db, fingerprints, now.AddDays(-9),
            [CrimeType.DistributionWithoutConsent, CrimeType.ThreatToDistribute],
            "헤어진 연인이 몰래 찍은 영상을 SNS에 올리겠다고 협박했고, 지난주 실제로 올렸습니다. 친구가 링크를 보내줬어요.",
            new RiskScreening(false, true, false, false), new SafeContact(ContactChannel.Text, "010-0000-0000", null, new TimeOnly(18, 0), new TimeOnly(21, 0), false, "우산"),
            ["https://video.example.com/watch/abc123", "https://social.example.net/post/998877"], cancellationToken);
        first.AssignTo(companion, manager.Id, now.AddDays(-9).AddHours(2));
        first.GiveConsent(ServiceTrackKind.Investigation, null, now.AddDays(-9));
        first.GiveConsent(ServiceTrackKind.Deletion, null, now.AddDays(-9));
        first.LogActivity(ServiceTrackKind.Investigation, TimelineEventKind.Call, companion.Id, now.AddDays(-9).AddHours(3), null, 20, "첫 상담 전화. 고소 의사 있음.", now);
        first.LogActivity(ServiceTrackKind.Investigation, TimelineEventKind.Appointment, companion.Id, new DateTimeOffset(now.UtcDateTime.Date.AddDays(2).AddHours(5), TimeSpan.Zero), "서울 ○○경찰서", 90, "진술 동행", now);
        first.PostMessage(MessageSender.Staff, companion.Id, "안녕하세요, 담당 동행지원관 지영입니다. 편하실 때 답장 주세요.", now.AddDays(-9).AddHours(3));

        await OpenAsync(db, fingerprints, now.AddHours(-5),
            [CrimeType.DeepfakeComposite],
            "A classmate made fake sexual images of me with my face and shared them in a group chat.",
            new RiskScreening(false, false, false, true), SafeContact.PortalOnly, ["https://sn.example.net/g/12345"], cancellationToken);

        await OpenAsync(db, fingerprints, now.AddHours(-30),
            [CrimeType.IllegalFilming],
            "회사 화장실에서 불법촬영 카메라가 발견되었고 제 영상이 있을 수 있다고 들었습니다.",
            new RiskScreening(false, false, false, false), new SafeContact(ContactChannel.Email, null, "victim@mail.example", null, null, false, null), [], cancellationToken);

        // A citizen monitor's report waiting for triage (reserved example domain: never fetched).
        const string reported = "https://social.example.net/post/445566";
        db.MonitorReports.Add(new MonitorReport(staff[StaffRoles.Monitor].Id, reported, fingerprints.ContentUrl(reported), null, ContentKind.Image,
            "단체 대화방에서 공유되고 있음", now.AddHours(-2)));

        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<Case> OpenAsync(
        PortalDbContext db, Fingerprints fingerprints, DateTimeOffset at, CrimeType[] crimes, string narrative,
        RiskScreening risk, SafeContact contact, string[] links, CancellationToken cancellationToken)
    {
        var number = await db.NextCaseNumberAsync(cancellationToken);
        var reference = CaseReference.New();
        var code = AccessCode.Generate();
        var @case = Case.Open(number, reference, Guid.NewGuid().ToByteArray(), new Victim(null, "ko"), crimes, narrative, DateOnly.FromDateTime(at.UtcDateTime.AddDays(-3)),
            risk, contact, fingerprints.AccessCode(reference, code), at);
        foreach (var link in links)
        {
            @case.ContentItems.Add(new ContentItem(number, link, fingerprints.ContentUrl(link), null, ContentKind.Video, ContentFinder.Victim, risk.IsMinor, at));
        }
        db.Cases.Add(@case);
        return @case;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Demo account could not be created: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }
}
