using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Pages.Report;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Status;

/// <summary>Adds to the account: appended and dated, never replacing what was written before.</summary>
public sealed class AmendModel(PortalDbContext db, VictimCase victimCase, TimeProvider clock, IStringLocalizer<StatusText> text) : PageModel
{
    [BindProperty]
    public string? Addition { get; set; }

    public bool IsOpen { get; private set; }

    public async Task OnGetAsync()
    {
        IsOpen = (await victimCase.LoadAsync(q => q, "Status/Amend", HttpContext.RequestAborted)).IsOpen;
        await victimCase.SaveViewAsync(HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var @case = await victimCase.LoadAsync(q => q, "Status/Amend", HttpContext.RequestAborted);
        IsOpen = @case.IsOpen;
        var result = new InlineValidator<string?>
        {
            v => v.RuleFor(a => a).NotEmpty().WithMessage(text["Write what you would like to add."])
                .MaximumTextLength(ReportValidator.NarrativeMax).WithMessage(text["Please keep it under {0} characters.", ReportValidator.NarrativeMax.ToString("N0")]),
        }.Validate(Addition ?? "");
        if (!result.IsValid || !IsOpen)
        {
            ModelState.AddModelError(nameof(Addition), result.IsValid ? text["This case is closed. Please report again if you need help."] : result.Errors[0].ErrorMessage);
            await victimCase.SaveViewAsync(HttpContext.RequestAborted);
            return Page();
        }
        @case.Amend(TextInput.Clean(Addition)!, null, clock.GetUtcNow());
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Notice"] = text["Your addition was saved. Your companion will read it."].Value;
        return RedirectToPage("/Status/Case");
    }
}
