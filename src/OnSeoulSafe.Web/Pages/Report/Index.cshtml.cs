using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Pages.Shared;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Report;

/// <summary>
/// The intake wizard. Each step posts every field (the other steps' as hidden inputs), so a rejected step, a
/// step back or a failed save never loses anything typed; nothing is stored until the last step is sent.
/// </summary>
[SharedRateLimit(PortalRateLimits.Intake)]
[IntakeFormSnapshot]
public sealed class IndexModel(IStringLocalizer<ReportText> text, IStringLocalizer<GuardianText> guardianText, TimeProvider clock, ILogger<IndexModel> logger) : PageModel
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

    /// <summary>
    /// Every post counts against the shared limits (this form's intake key, the address, the whole portal). Past a
    /// limit the same step comes back with everything typed and a "wait a moment" message, never an empty error page.
    /// </summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (HttpMethods.IsPost(Request.Method))
        {
            var verdict = await HttpContext.RequestServices.GetRequiredService<SharedRateLimiter>().IntakeAsync(HttpContext, Input.IntakeKey);
            if (!verdict.Allowed)
            {
                if (Input.IntakeKey == Guid.Empty) Input.IntakeKey = Guid.NewGuid();
                Step = Math.Clamp(Step, 1, LastStep);
                ModelState.AddModelError(string.Empty, text["Many reports are being sent just now. Nothing you wrote is lost: please wait a moment and press the button again."]);
                PortalRateLimits.Refuse(HttpContext, verdict);
                // This page is the answer: the status-code page must not replace it.
                HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>()?.Enabled = false;
                context.Result = Page();
                return;
            }
        }
        await next();
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

    /// <summary>
    /// The language switch on the wizard posts the whole form here: the same step comes back in the chosen language
    /// (this request's culture is already the chosen one, see <see cref="PortalLocalization"/>) with everything typed,
    /// where switching through /language would start an empty form.
    /// </summary>
    public IActionResult OnPostLanguage(string? culture)
    {
        PortalLocalization.Remember(Response, culture);
        ModelState.Clear();
        Step = Math.Clamp(Step, 1, LastStep);
        if (Input.IntakeKey == Guid.Empty)
        {
            Input.IntakeKey = Guid.NewGuid();
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

    /// <summary>Fields whose posted value could not be read at all (a malformed date, time or choice), with their step.</summary>
    private Dictionary<string, string>? _unreadable;

    private bool Validate(string ruleSet)
    {
        var unreadable = Unreadable().Where(u => u.Value == ruleSet).Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        var result = ReportValidator.Check(text, Input, ruleSet, clock);
        // Anything posted as evidence that is not a SHA-256 fingerprint is refused (with a message) and dropped.
        Input.Evidence = EvidenceHashes.Acceptable(Input.Evidence);
        foreach (var field in unreadable)
        {
            ModelState.AddModelError(field, ReportValidator.UnreadableValue(text, field));
        }
        // A field that could not be read already says so: the rules' message about its empty value would repeat it.
        var rest = new FluentValidation.Results.ValidationResult(result.Errors.Where(e => !unreadable.Contains(ReportValidator.StepOf("Input." + e.PropertyName)?.Field ?? "")));
        var valid = ModelState.AddErrors(rest) && unreadable.Count == 0;
        // The guardians are asked only of a minor: for anyone else what the form carries is never checked nor kept.
        if (ruleSet == ReportValidator.Contact && Input.UnderNineteen == true && !unreadable.Contains("Input." + nameof(ReportInput.Guardians)))
        {
            valid &= GuardianStatements.Check(ModelState, "Input." + nameof(ReportInput.Guardians), Input.Guardians, guardianText);
        }
        return valid;
    }

    /// <summary>
    /// Takes the model binder's errors out of ModelState once per request, remembering each field's step: they
    /// count when that step is checked, with a message in the reader's language that never quotes the value. What
    /// was typed stays as the field's attempted value, so the form shows it again.
    /// </summary>
    private Dictionary<string, string> Unreadable()
    {
        if (_unreadable is not null) return _unreadable;
        _unreadable = new(StringComparer.Ordinal);
        foreach (var key in ModelState.Where(e => e.Value!.Errors.Count > 0).Select(e => e.Key).ToList())
        {
            if (ReportValidator.StepOf(key) is { } step)
            {
                _unreadable[step.Field] = step.RuleSet;
            }
            ModelState.ClearValidationState(key);
            ModelState.MarkFieldSkipped(key);
        }
        return _unreadable;
    }
}
