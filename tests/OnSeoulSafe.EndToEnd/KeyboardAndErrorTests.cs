using Microsoft.Playwright;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.EndToEnd.Support;

namespace OnSeoulSafe.EndToEnd;

/// <summary>
/// The intake works with a keyboard alone; errors on the intake, a staff form and a status-page form are announced
/// and lead to their fields.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class KeyboardAndErrorTests(PortalServer portal)
{
    [Fact]
    public async Task The_whole_intake_can_be_completed_with_Tab_Space_and_Enter()
    {
        // Arrange
        var page = await portal.NewPageAsync();
        await page.GotoAsync("/report");

        // Act: no mouse; Tab to move, Space to tick, Enter to press, and typing in text fields.
        await TabToAsync(page, "#Input_CrimeTypes_IllegalFilming");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "#Input_Narrative");
        await page.Keyboard.TypeAsync("키보드만으로 신고합니다.");
        await TabToAsync(page, "button[formaction*='handler=Next']");
        await page.Keyboard.PressAsync("Enter");
        await WaitForStepAsync(page, 2);

        foreach (var question in new[] { "SelfHarmThoughts", "OngoingThreats", "OffenderKnowsAddress", "UnderNineteen" })
        {
            // Tab reaches the first answer of a group with nothing chosen; Space chooses it.
            await TabToAsync(page, $"#Input_{question}_yes");
            await page.Keyboard.PressAsync("Space");
        }
        await TabToAsync(page, "button[formaction*='handler=Next']");
        await page.Keyboard.PressAsync("Enter");
        await WaitForStepAsync(page, 3);

        await TabToAsync(page, "#Input_Channel_PortalOnly");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "#Input_Consents_Investigation");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "button[formaction*='handler=Next']");
        await page.Keyboard.PressAsync("Enter");
        await WaitForStepAsync(page, 4);

        await TabToAsync(page, "button[formaction*='handler=Submit']");
        await page.Keyboard.PressAsync("Enter");

        // Assert
        await page.Locator("#case-reference").WaitForAsync();
        (await page.Locator("#case-reference").InnerTextAsync()).ShouldMatch(@"SDS-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]");
    }

    [Fact]
    public async Task Errors_on_the_report_form_are_announced_and_each_leads_to_its_field()
    {
        // Arrange
        var page = await portal.NewPageAsync();
        await page.GotoAsync("/report");

        // Act: next without answering anything.
        await page.Locator("button[formaction*='handler=Next']").ClickAsync();

        // Assert
        await ErrorsShouldBeAnnouncedAndLinkedAsync(page, "Input_Narrative");
    }

    [Fact]
    public async Task Errors_on_a_staff_form_are_announced_and_each_leads_to_its_field()
    {
        // Arrange: an administrator adds a partner institution.
        var page = await portal.NewPageAsync("en-US");
        await portal.SignInAsync(page, StaffRoles.Admin);
        await page.GotoAsync("/admin/partners/edit");

        // Act: save without a name.
        await page.Locator("#partner-form button[type=submit]").ClickAsync();

        // Assert
        await ErrorsShouldBeAnnouncedAndLinkedAsync(page, "Input_Name");
    }

    [Fact]
    public async Task Errors_on_a_status_page_form_are_announced_and_each_leads_to_its_field()
    {
        // Arrange: a victim with an open case wants to add to their account.
        var page = await portal.NewPageAsync("ko-KR", 390, 844);
        var (reference, code) = await Intake.FileAsync(page);
        await Intake.OpenStatusAsync(page, reference, code);
        await page.GotoAsync("/status/amend");

        // Act: save an empty addition.
        await page.Locator("main form button.btn-primary[type=submit]").ClickAsync();

        // Assert
        await ErrorsShouldBeAnnouncedAndLinkedAsync(page, "Addition");
    }

    /// <summary>
    /// The summary is an alert that has the focus, each of its links leads to a field on the page, and the given
    /// field is marked invalid and described by its own message (not only by its help text).
    /// </summary>
    private static async Task ErrorsShouldBeAnnouncedAndLinkedAsync(IPage page, string fieldId)
    {
        var summary = page.Locator("#error-summary");
        await summary.WaitForAsync();
        (await summary.GetAttributeAsync("role")).ShouldBe("alert");
        // The summary is in the page before the script at the page's end has run and moved the focus to it: the focus
        // must arrive there (a timeout fails the test), and nowhere else.
        await page.WaitForFunctionAsync("() => document.activeElement !== null && document.activeElement.id === 'error-summary'");
        var links = await summary.Locator("a").AllAsync();
        links.Count.ShouldBeGreaterThan(0);
        foreach (var link in links)
        {
            var target = (await link.GetAttributeAsync("href"))!;
            target.ShouldStartWith("#");
            (await page.Locator(target).CountAsync()).ShouldBe(1, $"error link {target} has no field");
        }
        await summary.Locator($"a[href='#{fieldId}']").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        (await page.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe(fieldId);
        var field = page.Locator("#" + fieldId);
        (await field.GetAttributeAsync("aria-invalid")).ShouldBe("true");
        var describedBy = (await field.GetAttributeAsync("aria-describedby"))!.Split(' ');
        var messages = await Task.WhenAll(describedBy.Select(id => page.Locator("#" + id).InnerTextAsync()));
        var summaryText = await summary.InnerTextAsync();
        messages.ShouldContain(m => m.Trim().Length > 0 && summaryText.Contains(m.Trim(), StringComparison.Ordinal), "the field is not described by its error");
    }

    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var presses = 0; presses < 80; presses++)
        {
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector)) return;
            await page.Keyboard.PressAsync("Tab");
        }
        throw new ShouldAssertException($"Tab never reached {selector} on {page.Url}");
    }

    private static Task WaitForStepAsync(IPage page, int step) =>
        page.Locator($"input[name=Step][value='{step}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
}
