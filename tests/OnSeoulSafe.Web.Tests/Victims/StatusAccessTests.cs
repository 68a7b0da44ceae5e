using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

public sealed class StatusAccessTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string Refusal = "do not belong together";

    [Fact]
    public async Task The_reference_and_code_open_the_case_and_its_status()
    {
        using var browser = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(browser);

        var page = await ReportJourney.OpenStatusAsync(browser, reference, code.ToLowerInvariant().Replace("-", " "));

        page.QuerySelector("h1")!.TextContent.ShouldContain(reference);
        page.QuerySelector("#case-status")!.TextContent.ShouldBe("Received");
        page.QuerySelector("#deletion-progress")!.TextContent.ShouldContain("https://video.example.com/watch/abc");
    }

    [Fact]
    public async Task A_wrong_code_and_an_unknown_reference_get_the_same_answer()
    {
        using var browser = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(browser);

        var wrong = await ReportJourney.OpenStatusAsync(browser, reference, "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        var unknown = await ReportJourney.OpenStatusAsync(browser, CaseReference.New(), code);

        wrong.FieldErrors().ShouldBe(unknown.FieldErrors());
        wrong.FieldErrors().Single().ShouldContain(Refusal);
        browser.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/status");
    }

    [Fact]
    public async Task A_victim_session_never_shows_or_changes_another_case_whatever_the_request_names()
    {
        // Arrange: two victims; B's case has things of its own that A must never see.
        using var first = portal.Browser("en");
        using var second = portal.Browser("en");
        var (referenceA, codeA) = await ReportJourney.FileAsync(first);
        var doneB = await ReportJourney.SendAsync(second, await ReportJourney.ReviewAsync(second, links: "https://only-b.example.org/secret-b"));
        var referenceB = doneB.QuerySelector("#case-reference")!.TextContent.Trim();
        var idB = await portal.WithDbAsync(async db =>
        {
            var b = await db.Cases.SingleAsync(c => c.Reference == referenceB);
            b.Amend("Only B wrote this addition.", null, portal.Clock.GetUtcNow());
            b.PostMessage(MessageSender.Victim, null, "Only B wrote this message.", portal.Clock.GetUtcNow());
            await db.SaveChangesAsync();
            return b.Id;
        });
        var before = await SnapshotAsync(referenceB);
        await ReportJourney.OpenStatusAsync(first, referenceA, codeA);
        // B named every way a hand-made request could: query string and form fields.
        var query = $"?reference={referenceB}&id={idB}&caseId={idB}";
        KeyValuePair<string, string>[] naming = [new("reference", referenceB), new("Reference", referenceB), new("id", idB.ToString()), new("caseId", idB.ToString()), new("CaseId", idB.ToString())];
        var seen = new List<string>();

        // Act: every victim page, read and posted.
        foreach (var page in new[] { "/status/case", "/status/written", "/status/amend", "/status/links", "/status/contact", "/status/consents", "/status/withdraw" })
        {
            seen.Add((await first.GetAsync(page + query)).Text());
        }
        await PostAsync("/status/amend", "", [new("Addition", "A tries to write on B.")]);
        await PostAsync("/status/links", "", [new("Links", "https://tamper.example.org/x")]);
        await PostAsync("/status/contact", "", [new("Input.Channel", "Email"), new("Input.Email", "tamper@mail.example")]);
        await PostAsync("/status/consents", "", [new("Tracks", "Legal")]);
        await PostAsync("/status/case", "&handler=Message", [new("NewMessage", "A tries to message on B.")]);
        await PostAsync("/status/withdraw", "&handler=Withdraw", [new("Confirm", "true")]);
        await PostAsync("/status/withdraw", "&handler=Erase", [new("ConfirmErasure", "true")]);
        await PostAsync("/status/withdraw", "&handler=CancelErasure", []);

        // A form's page is read first (for its token, as a browser would), then posted with B named in it.
        async Task PostAsync(string page, string handler, KeyValuePair<string, string>[] fields)
        {
            var form = await first.GetAsync(page + query);
            seen.Add(form.Text());
            var token = form.QuerySelector("input[name='__af']")!.GetAttribute("value")!;
            seen.Add((await first.PostAsync(page + query + handler, [.. naming, new("__af", token), .. fields])).Text());
        }

        // Assert: A saw only A, and what A did landed on A, never on B.
        seen.Count.ShouldBe(23);
        foreach (var text in seen)
        {
            text.ShouldNotContain(referenceB);
            text.ShouldNotContain("only-b.example.org");
            text.ShouldNotContain("Only B wrote");
        }
        seen[0].ShouldContain(referenceA);
        (await SnapshotAsync(referenceB)).ShouldBe(before);
        var a = await SnapshotAsync(referenceA);
        a.Amendments.ShouldBe(1);
        a.Links.ShouldBe(3);
        a.Email.ShouldBe("tamper@mail.example");
        a.Status.ShouldBe(CaseStatus.Withdrawn);
        a.ErasureRequests.ShouldBe(1);
        (await portal.WithDbAsync(db => db.ErasureRequests.SingleAsync(e => e.CaseId == db.Cases.Single(c => c.Reference == referenceA).Id))).Status.ShouldBe(ErasureStatus.Cancelled);
        (await portal.WithDbAsync(db => db.AccessLog.CountAsync(e => e.CaseId == idB && e.ActorRole == "Victim"))).ShouldBe(0);
    }

    private sealed record CaseSnapshot(CaseStatus Status, int Amendments, int Links, int Messages, string Consents, ContactChannel Channel, string? Email, int ErasureRequests);

    private Task<CaseSnapshot> SnapshotAsync(string reference) =>
        portal.WithDbAsync(async db =>
        {
            var c = await db.Cases.AsNoTracking().Include(x => x.Amendments).Include(x => x.ContentItems).Include(x => x.Messages).Include(x => x.Consents)
                .AsSplitQuery().SingleAsync(x => x.Reference == reference);
            var erasures = await db.ErasureRequests.CountAsync(e => e.CaseId == c.Id);
            var consents = string.Join(",", c.Consents.OrderBy(x => x.Track).ThenBy(x => x.GivenAt).Select(x => $"{x.Track}:{x.WithdrawnAt is null}"));
            return new CaseSnapshot(c.Status, c.Amendments.Count, c.ContentItems.Count, c.Messages.Count, consents, c.SafeContact.Channel, c.SafeContact.Email, erasures);
        });

    [Fact]
    public async Task The_status_page_shows_the_companions_first_name_coming_appointments_and_each_services_progress()
    {
        // Arrange: a companion is assigned, logs one appointment to come and one past, and moves two services on.
        await portal.SeedDemoAsync();
        using var victim = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(victim);
        var companion = OnSeoulSafe.Web.Infrastructure.DemoData.Accounts[0];
        var now = portal.Clock.GetUtcNow();
        var coming = now.AddDays(3);
        await portal.WithDbAsync(async db =>
        {
            var @case = await db.Cases.Include(c => c.Tracks).SingleAsync(c => c.Reference == reference);
            var staff = await db.Users.SingleAsync(u => u.Email == companion.Email);
            var manager = await db.Users.SingleAsync(u => u.Email == "manager@onseoulsafe.example");
            @case.AssignTo(staff, manager.Id, now);
            @case.LogActivity(ServiceTrackKind.Investigation, TimelineEventKind.Appointment, staff.Id, coming, "Mapo police station", 60, null, now);
            @case.LogActivity(ServiceTrackKind.Medical, TimelineEventKind.Appointment, staff.Id, now.AddDays(-2), "Clinic already visited", 30, null, now);
            @case.ChangeTrackStatus(ServiceTrackKind.Legal, TrackStatus.Active, staff.Id, now);
            @case.ChangeTrackStatus(ServiceTrackKind.Legal, TrackStatus.Completed, staff.Id, now);
            @case.ChangeTrackStatus(ServiceTrackKind.DailyLifeRecovery, TrackStatus.Declined, staff.Id, now);
            return await db.SaveChangesAsync();
        });

        // Act
        var page = await ReportJourney.OpenStatusAsync(victim, reference, code);

        // Assert
        var companionLine = page.QuerySelector("#companion-name")!.TextContent;
        companionLine.ShouldContain(companion.FirstName);
        companionLine.ShouldNotContain(companion.FullName);
        var appointments = page.QuerySelectorAll("#appointments li").Select(li => li.TextContent).ToList();
        appointments.Count.ShouldBe(1);
        appointments[0].ShouldContain("Mapo police station");
        appointments[0].ShouldContain(coming.Show());
        appointments[0].ShouldContain("Investigation support");
        page.Text().ShouldNotContain("Clinic already visited");
        var progress = page.QuerySelectorAll("#service-progress tbody tr")
            .ToDictionary(r => r.Children[0].TextContent.Trim(), r => r.Children[1].TextContent.Trim());
        progress.ShouldBe(new Dictionary<string, string>
        {
            ["Investigation support"] = "Active",
            ["Legal support"] = "Completed",
            // The report agreed to investigation and deletion support only: a service she never agreed to is not shown
            // as under way, whatever the track says.
            ["Medical support"] = "Not agreed",
            ["Counselling and psychological support"] = "Not agreed",
            ["Deletion of the content"] = "Not started",
            ["Daily-life recovery"] = "Not agreed",
        });
    }

    [Fact]
    public async Task Status_pages_need_the_code_first()
    {
        using var browser = portal.Browser("en");

        var response = await browser.GetRawAsync("/status/case");

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/status");
    }

    [Fact]
    public async Task Each_status_visit_is_in_the_access_log_as_the_victim()
    {
        using var browser = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(browser);
        await ReportJourney.OpenStatusAsync(browser, reference, code);
        await browser.GetAsync("/status/case");

        var rows = await portal.WithDbAsync(db => db.AccessLog.Where(e => db.Cases.Any(c => c.Id == e.CaseId && c.Reference == reference)).ToListAsync());

        rows.Count.ShouldBe(2);
        rows.ShouldAllBe(r => r.StaffId == null && r.ActorRole == "Victim");
    }

    [Fact]
    public async Task The_victim_sees_who_opened_the_file_by_role_and_first_name_only()
    {
        await portal.SeedDemoAsync();
        using var victim = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(victim);
        var companion = OnSeoulSafe.Web.Infrastructure.DemoData.Accounts[0];
        await portal.WithDbAsync(async db =>
        {
            var @case = await db.Cases.SingleAsync(c => c.Reference == reference);
            var manager = await db.Users.SingleAsync(u => u.Email == "manager@onseoulsafe.example");
            @case.AssignTo(await db.Users.SingleAsync(u => u.Email == companion.Email), manager.Id, DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        using (var staff = await OnSeoulSafe.Web.Tests.Companions.CompanionWorld.SignInAsync(portal, companion))
        {
            await staff.GetAsync("/cases/" + reference.ToLowerInvariant());
        }

        var page = await ReportJourney.OpenStatusAsync(victim, reference, code);

        var readers = page.QuerySelector("#readers")!.TextContent;
        readers.ShouldContain(companion.FirstName);
        readers.ShouldContain("Companion");
        readers.ShouldNotContain(companion.Email);
    }
}
