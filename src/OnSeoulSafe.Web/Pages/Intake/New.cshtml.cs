using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Pages.Report;
using OnSeoulSafe.Web.Pages.Shared;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Intake;

/// <summary>
/// A companion or manager takes a report on a caller's behalf, by phone or at the center: one form with everything the
/// web report asks, checked by the web report's own rules and saved by the same intake. Consents are recorded as given
/// aloud to the staff member; the reference and secret code are read out from the screen once, or not handed over.
/// </summary>
public sealed class NewModel(IStringLocalizer<ReportText> reportText, IStringLocalizer<StaffIntakeText> text, IStringLocalizer<GuardianText> guardianText, TimeProvider clock, ILogger<NewModel> logger) : PageModel
{
    /// <summary>How the caller gets the reference and secret code. The portal sends nothing to a caller by text or e-mail.</summary>
    public enum CodeHandover { OnScreen, None }

    /// <summary>What only a staff intake asks: how the report came, in which language the caller speaks, and the handover.</summary>
    public sealed record TakingInput
    {
        public IntakeChannel Channel { get; set; } = IntakeChannel.Phone;
        public string Language { get; set; } = "ko";
        public CodeHandover Handover { get; set; } = CodeHandover.OnScreen;

        /// <summary>The companion who took the report keeps the case; otherwise it waits in the intake queue.</summary>
        public bool KeepCase { get; set; }
    }

    [BindProperty]
    public ReportInput Input { get; set; } = new();

    [BindProperty]
    public TakingInput Taking { get; set; } = new();

    public IntakeReceipt? Receipt { get; private set; }

    /// <summary>Only a companion keeps a case they took; a manager's report goes to the queue.</summary>
    public bool MayKeep => User.IsInRole(StaffRoles.Companion);

    public void OnGet()
    {
        Input = new ReportInput { IntakeKey = Guid.NewGuid() };
        Taking = new TakingInput { KeepCase = MayKeep };
    }

    public async Task<IActionResult> OnPostAsync([FromServices] ReportIntake intake)
    {
        // A caller on the phone offers no file fingerprints: those are computed on the victim's own device.
        Input.Evidence = [];
        if (!Validate())
        {
            return Page();
        }
        if (Input.IntakeKey == Guid.Empty)
        {
            Input.IntakeKey = Guid.NewGuid();
        }
        var staffId = CaseAccessHandler.StaffIdOf(User)!.Value;
        var keep = Taking.KeepCase && MayKeep;
        var takenBy = new StaffTaking(new StaffIntake(Taking.Channel, staffId), keep, keep ? StaffRoles.Companion : CaseAccessHandler.ActorRoleOf(User, null));
        try
        {
            Receipt = await intake.SubmitAsync(Input, Taking.Language, takenBy, HttpContext.RequestAborted);
        }
        catch (IntakeExpiredException)
        {
            ModelState.AddModelError(string.Empty, text["This report was already saved earlier. Find its case in the intake queue or in your cases."]);
            return Page();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Logged without the report: no victim data ever reaches a log.
            logger.LogError("Staff intake could not be saved: {ExceptionType}", ex.GetType().Name);
            ModelState.AddModelError(string.Empty, text["The report could not be saved just now. Nothing typed is lost: press “Save the report” again in a moment."]);
            return Page();
        }
        if (Receipt is null)
        {
            ModelState.AddModelError(string.Empty, text["The report could not be saved just now. Nothing typed is lost: press “Save the report” again in a moment."]);
            return Page();
        }
        return Page();
    }

    /// <summary>
    /// Every rule set of the web report at once, then this page's own choices. A value the model binder could not
    /// read is named in the reader's language without quoting it, and what was typed is shown again.
    /// </summary>
    private bool Validate()
    {
        var unreadable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in ModelState.Where(e => e.Value!.Errors.Count > 0).Select(e => e.Key).ToList())
        {
            var field = ReportValidator.StepOf(key)?.Field ?? key;
            ModelState.ClearValidationState(key);
            ModelState.MarkFieldSkipped(key);
            if (unreadable.Add(field))
            {
                ModelState.AddModelError(field, field.StartsWith("Input.", StringComparison.Ordinal)
                    ? ReportValidator.UnreadableValue(reportText, field)
                    : reportText["Choose one of the options shown."]);
            }
        }
        var valid = unreadable.Count == 0;
        foreach (var ruleSet in ReportValidator.StepRuleSets)
        {
            var result = ReportValidator.Check(reportText, Input, ruleSet, clock);
            var rest = new FluentValidation.Results.ValidationResult(result.Errors.Where(e => !unreadable.Contains(ReportValidator.StepOf("Input." + e.PropertyName)?.Field ?? "")));
            valid &= ModelState.AddErrors(rest);
        }
        if (Input.UnderNineteen == true && !unreadable.Contains("Input." + nameof(ReportInput.Guardians)))
        {
            valid &= GuardianStatements.Check(ModelState, "Input." + nameof(ReportInput.Guardians), Input.Guardians, guardianText);
        }
        if (Taking.Channel is not (IntakeChannel.Phone or IntakeChannel.Visit) && !unreadable.Contains("Taking.Channel"))
        {
            ModelState.AddModelError("Taking.Channel", text["Choose how the report came: by phone or in person."]);
            valid = false;
        }
        if (!PortalLocalization.Cultures.Any(c => c.Name == Taking.Language))
        {
            ModelState.AddModelError("Taking.Language", reportText["Choose one of the options shown."]);
            valid = false;
        }
        if (!Enum.IsDefined(Taking.Handover) && !unreadable.Contains("Taking.Handover"))
        {
            ModelState.AddModelError("Taking.Handover", reportText["Choose one of the options shown."]);
            valid = false;
        }
        return valid;
    }
}
