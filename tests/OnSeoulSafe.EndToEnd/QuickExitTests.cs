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

        // Act
        await PressShiftThreeTimesUntilGoneAsync(page);
        await page.GoBackAsync();

        // Assert
        await AssertNotOnPortalAsync(page);
    }

    [Fact]
    public async Task After_the_exit_button_neither_Back_nor_opening_the_status_page_again_shows_anything_of_the_case()
    {
        // Arrange: she reports, opens her case, goes on to her links, and leaves with the button.
        var page = await portal.NewPageAsync("ko-KR", 390, 844);
        var (reference, code) = await Intake.FileAsync(page);
        await Intake.OpenStatusAsync(page, reference, code);
        var caseText = await page.InnerTextAsync("body");
        caseText.ShouldContain(reference);
        caseText.ShouldContain(Intake.Links[0]);
        await page.GotoAsync("/status/links");

        // Act 1: the exit, then Back (to her case page, the entry before the one the exit replaced).
        await page.Locator("#quick-exit").ClickAsync();
        await page.WaitForURLAsync(PortalServer.NeutralSite);
        await page.GoBackAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/status");

        // Assert 1
        await AssertNothingOfTheCaseAsync(page, reference);

        // Act 2 and assert 2: opening her case page again on the same phone.
        await page.GotoAsync("/status/case");
        new Uri(page.Url).AbsolutePath.ShouldBe("/status");
        await AssertNothingOfTheCaseAsync(page, reference);
    }

    [Fact]
    public async Task After_Shift_three_times_opening_the_status_page_again_shows_nothing_of_the_case()
    {
        // Arrange
        var page = await portal.NewPageAsync("ko-KR", 390, 844);
        var (reference, code) = await Intake.FileAsync(page);
        await Intake.OpenStatusAsync(page, reference, code);

        // Act
        await PressShiftThreeTimesUntilGoneAsync(page);
        await page.GotoAsync("/status/case");

        // Assert
        new Uri(page.Url).AbsolutePath.ShouldBe("/status");
        await AssertNothingOfTheCaseAsync(page, reference);
    }

    private static async Task AssertNothingOfTheCaseAsync(IPage page, string reference)
    {
        var text = await page.InnerTextAsync("body");
        text.ShouldNotContain(reference);
        text.ShouldNotContain(Intake.Links[0]);
        text.ShouldNotContain("010-1234-5678");
        text.ShouldNotContain("하늘");
        (await page.Locator("#case-status").CountAsync()).ShouldBe(0);
    }

    /// <summary>The three presses must fall within 1.5 s; on a loaded machine one round can be too slow, so up to three rounds.</summary>
    private static async Task PressShiftThreeTimesUntilGoneAsync(IPage page)
    {
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
