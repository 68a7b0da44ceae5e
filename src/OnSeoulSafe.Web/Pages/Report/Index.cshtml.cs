using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Report;

/// <summary>
/// The intake wizard. Each step posts every field (the other steps' as hidden inputs), so a rejected step, a
/// step back or a failed save never loses anything typed; nothing is stored until the last step is sent.
/// </summary>
[EnableRateLimiting(PortalRateLimits.Intake)]
public sealed class IndexModel(IStringLocalizer<ReportText> text, ILogger<IndexModel> logger) : PageModel
{
    public const int LastStep = 4;

    [BindProperty]
    public ReportInput Input { get; set; } = new();

    [BindProperty]
    public int Step { get; set; } = 1;

    public IntakeReceipt? Receipt { get; private set; }

    public void OnGet()
    {
        Input = new ReportInput { IntakeKey = Guid.NewGuid() };
        Step = 1;
    }

    public IActionResult OnPostNext()
    {
        Step = Math.Clamp(Step, 1, LastStep);
        if (Step < LastStep && Validate(ReportValidator.StepRuleSets[Step - 1]))
        {
            Step++;
        }
        return Page();
    }

    public IActionResult OnPostBack()
    {
        ModelState.Clear();
        Step = Math.Clamp(Step - 1, 1, LastStep);
        return Page();
    }

    // The intake (and its database context) is taken only by the handler that saves: showing a step needs neither.
    public async Task<IActionResult> OnPostSubmitAsync([FromServices] ReportIntake intake)
    {
        // Every step is checked again: a hand-made post cannot skip one. The first failing step is shown.
        for (var i = 0; i < ReportValidator.StepRuleSets.Length; i++)
        {
            if (!Validate(ReportValidator.StepRuleSets[i]))
            {
                Step = i + 1;
                return Page();
            }
        }
        if (Input.IntakeKey == Guid.Empty)
        {
            Input.IntakeKey = Guid.NewGuid();
        }
        try
        {
            Receipt = await intake.SubmitAsync(Input, PortalLocalization.CurrentLanguage, HttpContext.RequestAborted);
        }
        catch (IntakeExpiredException)
        {
            ModelState.AddModelError(string.Empty, text["This report was already sent earlier. Use your case number and code on the “Check my case” page."]);
            Step = LastStep;
            return Page();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The exception is logged without the report: no victim data ever reaches a log.
            logger.LogError("Intake could not be saved: {ExceptionType}", ex.GetType().Name);
            ModelState.AddModelError(string.Empty, text["We could not save your report just now. Nothing you wrote is lost: please press “Send my report” again in a moment."]);
            Step = LastStep;
            return Page();
        }
        if (Receipt is null)
        {
            ModelState.AddModelError(string.Empty, text["We could not save your report just now. Nothing you wrote is lost: please press “Send my report” again in a moment."]);
            Step = LastStep;
            return Page();
        }
        return Page();
    }

    private bool Validate(string ruleSet)
    {
        var result = ReportValidator.For(text).Validate(Input, o => o.IncludeRuleSets(ruleSet));
        // Anything posted as evidence that is not a SHA-256 fingerprint is refused (with a message) and dropped.
        Input.Evidence = Input.Evidence.Where(h => EvidenceHash.IsSha256(h.Sha256) && h.SizeBytes is null or >= 0 && Enum.IsDefined(h.Kind))
            .Take(EvidenceHashes.MaxPerSubmit).ToList();
        return ModelState.AddErrors(result);
    }
}
