using OnSeoulSafe.EndToEnd.Support;

namespace OnSeoulSafe.EndToEnd;

[Collection(PortalCollection.Name)]
public sealed class SmokeTests(PortalServer portal)
{
    [Fact]
    public async Task Landing_page_opens_in_Korean()
    {
        var page = await portal.NewPageAsync();
        await page.GotoAsync("/");
        (await page.Locator("html").GetAttributeAsync("lang")).ShouldBe("ko");
    }
}
