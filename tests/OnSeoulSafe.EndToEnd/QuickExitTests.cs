using Microsoft.Playwright;
using OnSeoulSafe.EndToEnd.Support;

namespace OnSeoulSafe.EndToEnd;

/// <summary>The quick exit leaves for a neutral site and keeps the portal out of the Back button.</summary>
[Collection(PortalCollection.Name)]
public sealed class QuickExitTests(PortalServer portal)
{
    [Fact]
    public async Task Exit_button_leaves_for_the_neutral_site_and_Back_does_not_return()
    {
        // Arrange: the victim came to the report form from another page.
        var page = await portal.NewPageAsync("ko-KR", 390, 844);
        await page.GotoAsync(PortalServer.NeutralSite);
        await page.GotoAsync("/report");

        // Act
        await page.Locator("#quick-exit").ClickAsync();
        await page.WaitForURLAsync(PortalServer.NeutralSite);
        await page.GoBackAsync();

        // Assert: Back goes to what was before the portal, not to the form.
        await AssertNotOnPortalAsync(page);
    }

    [Fact]
    public async Task Pressing_Shift_three_times_also_leaves()
    {
        // Arrange
        var page = await portal.NewPageAsync();
        await page.GotoAsync(PortalServer.NeutralSite);
        await page.GotoAsync("/status");

        // Act: the three presses must fall within 1.5 s; on a loaded machine one round can be too slow, so up to three rounds.
        for (var round = 0; round < 3 && page.Url != PortalServer.NeutralSite; round++)
        {
            for (var i = 0; i < 3; i++) await page.Keyboard.PressAsync("Shift");
            try
            {
                await page.WaitForURLAsync(PortalServer.NeutralSite, new PageWaitForURLOptions { Timeout = 5_000 });
            }
            catch (TimeoutException)
            {
                // Not left yet: press again.
            }
        }
        page.Url.ShouldBe(PortalServer.NeutralSite);
        await page.GoBackAsync();

        // Assert
        await AssertNotOnPortalAsync(page);
    }

    [Fact]
    public async Task Exit_button_is_first_in_the_tab_order()
    {
        var page = await portal.NewPageAsync();
        await page.GotoAsync("/report");

        await page.Keyboard.PressAsync("Tab");

        (await page.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe("quick-exit");
    }

    private async Task AssertNotOnPortalAsync(IPage page)
    {
        page.Url.ShouldNotStartWith(portal.Address.ToString());
        (await page.TitleAsync()).ShouldBe(PortalServer.NeutralTitle);
    }
}
