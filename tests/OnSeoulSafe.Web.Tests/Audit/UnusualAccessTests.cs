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
        alerts.ShouldHaveSingleItem().ShouldContain($"{CompanionWorld.Companion.Email} opened 31 different cases");
    }
}
