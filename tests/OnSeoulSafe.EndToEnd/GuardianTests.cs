using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.EndToEnd.Support;

namespace OnSeoulSafe.EndToEnd;

/// <summary>A teenager on her phone, in Korean, says at intake that her father is not safe, and later that her mother is not either.</summary>
[Collection(PortalCollection.Name)]
public sealed class GuardianTests(PortalServer portal)
{
    [Fact]
    public async Task A_minor_marks_a_guardian_unsafe_at_intake_and_another_on_status_and_no_contact_is_kept_for_either()
    {
        // Arrange
        var page = await portal.NewPageAsync("ko-KR", 390, 844);
        await page.GotoAsync("/report");
        await page.Locator("#Input_CrimeTypes_ThreatToDistribute").CheckAsync();
        await page.Locator("#Input_Narrative").FillAsync("같은 반 친구가 사진을 퍼뜨리겠다고 해요.");
        await NextAsync(page, 2);
        foreach (var question in new[] { "SelfHarmThoughts", "OngoingThreats", "OffenderKnowsAddress" })
        {
            await page.Locator($"#Input_{question}_no").CheckAsync();
        }
        await page.Locator("#Input_UnderNineteen_yes").CheckAsync();
        await NextAsync(page, 3);

        // Each choice's radio sits at the start of its own line, under the guardian's name (not floated beside it).
        var unsaid = await page.Locator("#Input_Guardians_0_Unsaid").BoundingBoxAsync();
        var unsaidLabel = await page.Locator("label[for='Input_Guardians_0_Unsaid']").BoundingBoxAsync();
        unsaid.ShouldNotBeNull().X.ShouldBeLessThan(unsaidLabel.ShouldNotBeNull().X);
        Math.Abs(unsaid.Y + (unsaid.Height / 2) - (unsaidLabel.Y + (unsaidLabel.Height / 2))).ShouldBeLessThan(unsaidLabel.Height);

        // Act: her mother is safe to call; her father may be the one who did it.
        var motherContact = page.Locator("#Input_Guardians_0__Contact");
        var fatherContact = page.Locator("#Input_Guardians_1__Contact");
        await Assertions.Expect(motherContact).ToBeHiddenAsync();
        await page.GetByLabel("연락해도 괜찮아요").First.CheckAsync();
        await Assertions.Expect(motherContact).ToBeVisibleAsync();
        await motherContact.FillAsync("010-2222-3333");
        await page.Locator("#Input_Guardians_1__Choice").GetByLabel("가해자일 수 있거나 안전하지 않아요: 절대 연락하지 말아 주세요").CheckAsync();
        await Assertions.Expect(fatherContact).ToBeHiddenAsync();
        await NextAsync(page, 4);
        await Assertions.Expect(page.Locator("#review-guardians")).ToContainTextAsync("아버지");
        await page.Locator("button[formaction*='handler=Submit']").ClickAsync();
        await page.Locator("#case-reference").WaitForAsync();
        var reference = (await page.Locator("#case-reference").InnerTextAsync()).Trim();
        var code = (await page.Locator("#access-code").InnerTextAsync()).Trim();

        // Later, on the status page, she says her mother is not safe either.
        await Intake.OpenStatusAsync(page, reference, code);
        await page.Locator("#guardians-link").ClickAsync();
        await Assertions.Expect(page.Locator("#guardians-named")).Not.ToContainTextAsync("010-2222-3333");
        await page.Locator("#unsafe-Mother").ClickAsync();

        // Assert
        await Assertions.Expect(page.Locator("#guardians-notice")).ToContainTextAsync("절대 연락하지 않아요");
        await Assertions.Expect(page.Locator("#unsafe-Mother")).ToHaveCountAsync(0);
        var saved = await portal.WithDbAsync(db => db.Cases.Include(c => c.Guardians).SingleAsync(c => c.Reference == reference));
        saved.Guardians.ShouldAllBe(g => g.MarkedUnsafe && g.Contact == null);
        saved.Guardians.Select(g => g.Relation).ShouldBe([GuardianRelation.Mother, GuardianRelation.Father], ignoreOrder: true);
        Should.Throw<DomainRuleException>(() => saved.EnsureMayContactGuardian(GuardianRelation.Mother)).Rule.ShouldBe("guardian.unsafe");
        portal.MissingTranslations.Keys.ShouldNotContain(k => k.StartsWith("GuardianText", StringComparison.Ordinal));
    }

    private static async Task NextAsync(IPage page, int step)
    {
        await page.Locator("button[formaction*='handler=Next']").ClickAsync();
        await page.Locator($"input[name=Step][value='{step}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
    }
}
