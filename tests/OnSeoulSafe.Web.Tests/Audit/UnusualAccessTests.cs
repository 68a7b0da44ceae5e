using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Audit;

public sealed class UnusualAccessTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task One_account_opening_more_than_30_cases_in_10_minutes_is_flagged_on_the_auditors_page()
    {
        // Arrange: 31 different cases within 9 minutes (the first one opened twice); 30 in the same span; 40 spread over two hours.
        var now = portal.Clock.GetUtcNow();
        var busy = await portal.StaffIdAsync(CompanionWorld.Companion);
        var justUnder = await portal.StaffIdAsync(CompanionWorld.OtherCompanion);
        var spread = await portal.StaffIdAsync(CompanionWorld.Manager);
        await portal.WriteEntriesAsync(32, busy, i => 5000 + Math.Max(i - 1, 0), i => now.AddMinutes(-20).AddSeconds(i * 17));
        await portal.WriteEntriesAsync(30, justUnder, i => 6000 + i, i => now.AddMinutes(-20).AddSeconds(i * 17));
        await portal.WriteEntriesAsync(40, spread, i => 7000 + i, i => now.AddHours(-2).AddMinutes(i * 3));

        // Act
        using var auditor = await portal.SignInAsync(CompanionWorld.Auditor);
        var page = await auditor.GetAsync("/audit");

        // Assert
        var alerts = page.QuerySelectorAll("#unusual-access li").Select(li => li.TextContent).ToList();
        alerts.ShouldContain(a => a.Contains($"{CompanionWorld.Companion.Email} opened 31 different cases", StringComparison.Ordinal));
        alerts.ShouldNotContain(a => a.Contains(CompanionWorld.OtherCompanion.Email, StringComparison.Ordinal));
        alerts.ShouldNotContain(a => a.Contains(CompanionWorld.Manager.Email, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Opening_the_work_lists_of_forty_assigned_cases_is_not_unusual_but_opening_their_files_is()
    {
        // Arrange: the same 40 cases listed by each work list (My cases, agenda, deletion queue) within five minutes.
        var now = portal.Clock.GetUtcNow();
        var staff = await portal.StaffIdAsync(CompanionWorld.Admin);
        foreach (var list in OnSeoulSafe.Cases.Access.CaseAccessLog.WorkLists)
        {
            await portal.WriteEntriesAsync(40, staff, i => 8000 + i, i => now.AddMinutes(-5).AddSeconds(i), list);
        }
        using var auditor = await portal.SignInAsync(CompanionWorld.Auditor);
        var listsOnly = (await auditor.GetAsync("/audit")).QuerySelectorAll("#unusual-access li").Select(li => li.TextContent).ToList();

        // Act: the same account then opens 31 of those case files.
        await portal.WriteEntriesAsync(31, staff, i => 8000 + i, i => now.AddMinutes(-4).AddSeconds(i));
        var files = (await auditor.GetAsync("/audit")).QuerySelectorAll("#unusual-access li").Select(li => li.TextContent).ToList();

        // Assert
        listsOnly.ShouldNotContain(a => a.Contains(CompanionWorld.Admin.Email, StringComparison.Ordinal));
        files.ShouldContain(a => a.Contains($"{CompanionWorld.Admin.Email} opened 31 different cases", StringComparison.Ordinal));
    }
}
