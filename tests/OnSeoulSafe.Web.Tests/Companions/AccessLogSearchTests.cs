using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Companions;

/// <summary>A portal with a handful of access-log rows written once for the whole class, so each search sees exactly them.</summary>
public sealed class AccessLogSearchPortal : PortalFactory
{
    public const string Narrative = "search-narrative-canary";
    public const string SafeWord = "search-safe-word-canary";
    public const string Phone = "010-7777-0420";
    public const string Note = "search-activity-note-canary";
    public const string MessageBody = "search-message-canary";

    public string CaseA { get; private set; } = "";
    public string CaseB { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await SeedDemoAsync();
        var contact = new SafeContact(ContactChannel.Phone, Phone, null, null, null, false, SafeWord);
        CaseA = await this.OpenCaseAsync(Narrative, assignTo: CompanionWorld.Companion, contact: contact, more: (c, companion) =>
        {
            c.LogActivity(ServiceTrackKind.Investigation, TimelineEventKind.Note, companion!.Id, DateTimeOffset.UtcNow, null, null, Note, DateTimeOffset.UtcNow);
            c.PostMessage(MessageSender.Victim, null, MessageBody, DateTimeOffset.UtcNow);
        });
        CaseB = await this.OpenCaseAsync(Narrative, assignTo: CompanionWorld.Companion, contact: contact);

        var companion = await this.StaffIdAsync(CompanionWorld.Companion);
        var other = await this.StaffIdAsync(CompanionWorld.OtherCompanion);
        var manager = await this.StaffIdAsync(CompanionWorld.Manager);
        var caseA = await this.CaseIdAsync(CaseA);
        var caseB = await this.CaseIdAsync(CaseB);
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        static DateTimeOffset Korea(int day, int hour, int minute = 0) => KoreaTime.FromKorea(new DateTime(2026, 3, day, hour, minute, 0));
        CaseAccessLog.Record(db, Korea(10, 12), companion, StaffRoles.Companion, caseA, AccessAction.View, "search-1");
        // Half past midnight in Seoul is still the 19th in UTC: the date filters work in Korea time.
        CaseAccessLog.Record(db, Korea(20, 0, 30), manager, StaffRoles.Manager, caseA, AccessAction.BreakTheGlass, "search-2", "Covering for the companion on leave");
        CaseAccessLog.Record(db, Korea(20, 13), companion, StaffRoles.Companion, caseB, AccessAction.Edit, "search-3");
        CaseAccessLog.Record(db, Korea(25, 9), other, StaffRoles.Companion, caseB, AccessAction.Denied, "search-4");
        await db.SaveChangesAsync();
    }
}

/// <summary>The auditor's search of the access log: each filter narrows the rows, and no case content is ever shown.</summary>
public sealed class AccessLogSearchTests(AccessLogSearchPortal portal) : IClassFixture<AccessLogSearchPortal>
{
    public static TheoryData<string, string[]> Filters() => new()
    {
        { "", ["search-1", "search-2", "search-3", "search-4"] },
        { "Search.Reference={a}", ["search-1", "search-2"] },
        { "Search.Reference={b}", ["search-3", "search-4"] },
        { "Search.Staff=companion@onseoulsafe.example", ["search-1", "search-3"] },
        { "Search.Staff=COMPANION2@onseoulsafe.example", ["search-4"] },
        { "Search.Action=Denied", ["search-4"] },
        { "Search.Action=BreakTheGlass", ["search-2"] },
        { "Search.From=2026-03-20", ["search-2", "search-3", "search-4"] },
        { "Search.To=2026-03-19", ["search-1"] },
        { "Search.From=2026-03-20&Search.To=2026-03-20", ["search-2", "search-3"] },
        { "Search.Reference={b}&Search.Staff=companion@onseoulsafe.example&Search.Action=Edit", ["search-3"] },
        { "Search.Reference=SDS-1999-000001", [] },
        { "Search.Staff=nobody@onseoulsafe.example", [] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Each_filter_narrows_the_rows_to_the_matching_entries(string query, string[] expected)
    {
        // Arrange
        using var auditor = await portal.SignInAsync(CompanionWorld.Auditor);
        var url = "/audit?" + query.Replace("{a}", portal.CaseA.ToLowerInvariant(), StringComparison.Ordinal).Replace("{b}", portal.CaseB, StringComparison.Ordinal);

        // Act
        var page = await auditor.GetAsync(url);

        // Assert: only the rows written for this test are compared (signing in writes none, but be exact about which).
        var shown = page.QuerySelectorAll("#access-log tbody tr td:nth-child(6)").Select(td => td.TextContent.Trim())
            .Where(what => what.StartsWith("search-", StringComparison.Ordinal)).Order().ToList();
        shown.ShouldBe(expected.Order().ToList(), url);
        if (expected.Length == 0) page.Text().ShouldContain("No entries match.");
    }

    [Fact]
    public async Task Search_results_show_who_did_what_and_why_but_no_case_content()
    {
        // Arrange: a real read and a real change by the companion, so rows the portal itself writes are shown.
        using (var companion = await portal.SignInAsync(CompanionWorld.Companion))
        {
            var file = await companion.GetAsync(CompanionWorld.FileUrl(portal.CaseA));
            await companion.SubmitAsync(file, [new("Reply.Body", "search-reply-canary")], formSelector: "#reply-form");
        }
        using var auditor = await portal.SignInAsync(CompanionWorld.Auditor);

        // Act
        var byCase = await auditor.GetAsync("/audit?Search.Reference=" + portal.CaseA);
        var everything = await auditor.GetAsync("/audit");

        // Assert
        var rows = byCase.QuerySelectorAll("#access-log tbody tr").Select(tr => tr.TextContent).ToList();
        rows.ShouldContain(r => r.Contains("/Cases/File#Message", StringComparison.Ordinal) && r.Contains(CompanionWorld.Companion.Email, StringComparison.Ordinal));
        rows.ShouldContain(r => r.Contains("Covering for the companion on leave", StringComparison.Ordinal));
        foreach (var html in new[] { byCase.DocumentElement.OuterHtml, everything.DocumentElement.OuterHtml })
        {
            foreach (var canary in new[] { AccessLogSearchPortal.Narrative, AccessLogSearchPortal.SafeWord, AccessLogSearchPortal.Phone, AccessLogSearchPortal.Note, AccessLogSearchPortal.MessageBody, "search-reply-canary" })
            {
                html.ShouldNotContain(canary);
            }
        }
    }
}
