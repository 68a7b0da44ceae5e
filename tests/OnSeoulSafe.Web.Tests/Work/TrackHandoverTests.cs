using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Work;

/// <summary>A service track handed to a colleague: the colleague sees the case in their list and can open it, logged like any read.</summary>
public sealed class TrackHandoverTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_colleague_given_a_track_lists_and_opens_the_case_and_each_read_is_logged()
    {
        // Arrange: the companion hands the legal track of her case to a colleague through the track page.
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion);
        var colleague = await portal.StaffIdAsync(CompanionWorld.OtherCompanion);
        using (var owner = await portal.SignInAsync(CompanionWorld.Companion))
        {
            var track = await owner.GetAsync(CompanionWorld.FileUrl(reference) + "/tracks/legal");
            track = await owner.SubmitAsync(track, [new("HandOver.StaffId", colleague.ToString())], "#handover-form");
            track.FieldErrors().ShouldBeEmpty();
        }
        using var browser = await portal.SignInAsync(CompanionWorld.OtherCompanion);
        var before = await portal.WithDbAsync(db => db.AccessLog.MaxAsync(e => (long?)e.Id)) ?? 0;

        // Act
        var list = await browser.GetAsync("/cases");
        var file = await browser.GetAsync(CompanionWorld.FileUrl(reference));
        var legal = await browser.GetAsync(CompanionWorld.FileUrl(reference) + "/tracks/legal");

        // Assert
        var row = list.QuerySelectorAll("#my-cases tbody tr").Single(tr => tr.TextContent.Contains(reference, StringComparison.Ordinal));
        row.QuerySelector("a.held-track")!.TextContent.ShouldContain("Legal");
        file.Text().ShouldContain("narrative");
        legal.Text().ShouldContain(reference);
        var caseId = await portal.CaseIdAsync(reference);
        var rows = await portal.WithDbAsync(db => db.AccessLog.AsNoTracking().Where(e => e.Id > before && e.CaseId == caseId).OrderBy(e => e.Id).ToListAsync());
        rows.Select(r => r.What).ShouldBe(["/Cases/Index", "/Cases/File", "/Cases/Track"]);
        rows.ShouldAllBe(r => r.StaffId == colleague && r.Action == AccessAction.View && r.ActorRole == StaffRoles.Companion);
    }

    [Fact]
    public async Task A_companion_without_a_track_on_the_case_is_still_refused()
    {
        // Arrange
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion);
        using var browser = await portal.SignInAsync(CompanionWorld.OtherCompanion);

        // Act
        var list = await browser.GetAsync("/cases");
        await browser.GetAsync(CompanionWorld.FileUrl(reference), System.Net.HttpStatusCode.NotFound);

        // Assert
        list.Text().ShouldNotContain(reference);
        (await portal.AccessLogAsync(reference)).ShouldContain(e => e.Action == AccessAction.Denied);
    }

    [Fact]
    public async Task A_case_never_contacted_says_so_instead_of_zero_days()
    {
        // Arrange
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);

        // Act
        var list = await browser.GetAsync("/cases");

        // Assert
        var row = list.QuerySelectorAll("#my-cases tbody tr").Single(tr => tr.TextContent.Contains(reference, StringComparison.Ordinal));
        row.QuerySelectorAll("td")[3].TextContent.Trim().ShouldBe("Never contacted");
    }
}
