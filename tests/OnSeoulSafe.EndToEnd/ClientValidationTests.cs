using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.EndToEnd.Support;

namespace OnSeoulSafe.EndToEnd;

/// <summary>
/// The staff account form checks FluentValidation's rules in the browser (client adapters): a missing or too long
/// field is shown next to it, marked invalid, and nothing is posted.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class ClientValidationTests(PortalServer portal)
{
    [Fact]
    public async Task A_missing_or_too_long_field_is_shown_before_anything_is_posted()
    {
        // Arrange
        var page = await portal.NewPageAsync("en-US");
        await portal.SignInAsync(page, StaffRoles.Admin);
        await page.GotoAsync("/admin/staff/new");
        var posts = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST") posts.Add(request.Url);
        };

        // Act: a first name one character too long, no full name.
        await page.Locator("#Input_FirstName").FillAsync(new string('a', 101));
        await page.Locator("#new-staff-form button[type=submit]").ClickAsync();

        // Assert
        var fullNameError = page.Locator("[data-valmsg-for='Input.FullName']");
        await fullNameError.GetByText("Enter the full name.").WaitForAsync();
        (await page.Locator("[data-valmsg-for='Input.FirstName']").InnerTextAsync()).ShouldBe("A first name can be at most 100 characters.");
        (await page.Locator("#Input_FullName").GetAttributeAsync("aria-invalid")).ShouldBe("true");
        (await page.Locator("#Input_FullName").GetAttributeAsync("aria-describedby"))!.Split(' ').ShouldContain(await fullNameError.GetAttributeAsync("id"));
        posts.ShouldBeEmpty();
        new Uri(page.Url).AbsolutePath.ShouldBe("/admin/staff/new");
    }
}
