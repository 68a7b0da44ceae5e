using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.EndToEnd.Support;

namespace OnSeoulSafe.EndToEnd;

/// <summary>
/// A companion takes a caller's report by phone in the browser, reads the reference and secret code out from the
/// screen, and the caller then opens her case on /status with them, in another browser.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class StaffIntakeTests(PortalServer portal)
{
    [Fact]
    public async Task A_companion_takes_a_phone_report_and_the_caller_signs_in_with_the_reference_and_code_read_to_her()
    {
        // Arrange
        var staff = await portal.NewPageAsync();
        await portal.SignInAsync(staff, StaffRoles.Companion);

        // Act: one form, a first send with the narrative missing, then the same form completed.
        await staff.GotoAsync("/intake/new");
        await staff.Locator("#Taking_Channel_Phone").CheckAsync();
        await staff.Locator("#Input_CrimeTypes_ThreatToDistribute").CheckAsync();
        await staff.Locator("#Input_Phone").FillAsync("010-2222-3333");
        await staff.Locator("#Input_Channel_Text").CheckAsync();
        foreach (var question in new[] { "SelfHarmThoughts", "OngoingThreats", "OffenderKnowsAddress", "UnderNineteen" })
        {
            await staff.Locator($"#Input_{question}_no").CheckAsync();
        }
        await staff.Locator("#Input_Consents_Deletion").CheckAsync();
        await staff.Locator("#Taking_Handover_OnScreen").CheckAsync();
        await staff.Locator("#staff-intake-form button[type=submit]").ClickAsync();
        await staff.Locator("#error-summary").WaitForAsync();
        (await staff.Locator("#Input_Phone").InputValueAsync()).ShouldBe("010-2222-3333");
        (await staff.Locator("#Input_Consents_Deletion").IsCheckedAsync()).ShouldBeTrue();
        await staff.Locator("#Input_Narrative").FillAsync(Intake.Narrative);
        await staff.Locator("#staff-intake-form button[type=submit]").ClickAsync();
        await staff.Locator("#access-code").WaitForAsync();
        var reference = (await staff.Locator("#case-reference").InnerTextAsync()).Trim();
        var code = (await staff.Locator("#access-code").InnerTextAsync()).Trim();

        // Assert: the caller, on her own device, opens the case with what she was told.
        var caller = await portal.NewPageAsync();
        await Intake.OpenStatusAsync(caller, reference, code);
        (await caller.Locator("#case-status").IsVisibleAsync()).ShouldBeTrue();
        var saved = await portal.WithDbAsync(db => db.Cases.Include(c => c.Consents).SingleAsync(c => c.Reference == reference));
        saved.IntakeChannel.ShouldBe(IntakeChannel.Phone);
        saved.Consents.ShouldContain(c => c.Track == ServiceTrackKind.Deletion && c.VerballyToStaffId == saved.IntakeStaffId && c.VerballyToStaffId != null);
    }
}
