using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Companions;

/// <summary>Unread victim messages and a self-harm or crisis signal reach the companion's screens.</summary>
public sealed class UnreadMessagesTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static IEnumerable<AngleSharp.Dom.IElement> RowOf(AngleSharp.Html.Dom.IHtmlDocument list, string reference) =>
        list.QuerySelectorAll("tbody tr").Where(r => r.TextContent.Contains(reference, StringComparison.Ordinal));

    [Fact]
    public async Task A_crisis_message_shows_at_once_and_unread_messages_are_counted_until_the_companion_reads_them()
    {
        // Arrange: a victim who said she thought of self-harm writes at night.
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion,
            risk: new RiskScreening(SelfHarmThoughts: true, OngoingThreats: false, OffenderKnowsAddress: false, IsMinor: false),
            more: (c, _) =>
            {
                c.PostMessage(MessageSender.Victim, null, "오늘 밤 너무 힘들어요", DateTimeOffset.UtcNow.AddMinutes(-5));
                c.PostMessage(MessageSender.Victim, null, "답장 기다릴게요", DateTimeOffset.UtcNow.AddMinutes(-4));
            });
        var calm = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);

        // Act
        var list = await browser.GetAsync("/cases");
        var file = await browser.GetAsync(CompanionWorld.FileUrl(reference));
        var listAfter = await browser.GetAsync("/cases");
        var fileAfter = await browser.GetAsync(CompanionWorld.FileUrl(reference));

        // Assert: on the list, the risk and the two unread messages.
        var row = RowOf(list, reference).Single();
        row.QuerySelector(".self-harm-badge").ShouldNotBeNull();
        row.QuerySelector(".unread-badge")!.TextContent.ShouldContain("2");
        RowOf(list, calm).Single().QuerySelector(".unread-badge").ShouldBeNull();
        RowOf(list, calm).Single().QuerySelector(".self-harm-badge").ShouldBeNull();
        // In the file, the crisis alert first, with the crisis lines, and each new message marked.
        var alert = file.QuerySelector("#crisis-alert")!;
        alert.TextContent.ShouldContain("may mean she is in crisis");
        alert.TextContent.ShouldContain("109");
        alert.QuerySelector("#self-harm-flag").ShouldNotBeNull();
        file.QuerySelectorAll(".unread-message").Length.ShouldBe(2);
        // Once read, they are no longer counted; the self-harm flag stays.
        RowOf(listAfter, reference).Single().QuerySelector(".unread-badge").ShouldBeNull();
        RowOf(listAfter, reference).Single().QuerySelector(".self-harm-badge").ShouldNotBeNull();
        fileAfter.QuerySelectorAll(".unread-message").ShouldBeEmpty();
        fileAfter.QuerySelector("#self-harm-flag").ShouldNotBeNull();
        fileAfter.Text().ShouldNotContain("may mean she is in crisis");
    }
}
