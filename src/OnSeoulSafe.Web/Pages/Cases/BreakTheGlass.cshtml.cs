using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>A manager states why they open a case that is not theirs. The reason goes to the access log.</summary>
[CaseAccessScope(CaseAccessScope.BreakTheGlassForm)]
public sealed class BreakTheGlassModel(PortalDbContext db, CaseAccessContext access, TimeProvider clock, IStringLocalizer<CasesText> text) : PageModel
{
    public string Reference => access.Reference;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public ReasonInput Input { get; set; } = new();

    public IActionResult OnGet() => access.IsAssignedToMe ? RedirectToPage("/Cases/File", new { reference = Reference.ToLowerInvariant() }) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.AddErrors(new ReasonValidator(text).Validate(Input)))
        {
            return Page();
        }
        CaseAccessLog.Record(db, clock.GetUtcNow(), access.StaffId, access.ActorRole, access.CaseId, AccessAction.BreakTheGlass,
            "/Cases/BreakTheGlass", Input.Reason);
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        var file = $"/cases/{Reference.ToLowerInvariant()}";
        return LocalRedirect(ReturnUrl is { } back && Url.IsLocalUrl(back) && back.StartsWith(file, StringComparison.OrdinalIgnoreCase) ? back : file);
    }

    public sealed record ReasonInput
    {
        public string? Reason { get; set; }
    }

    private sealed class ReasonValidator : AbstractValidator<ReasonInput>
    {
        public ReasonValidator(IStringLocalizer<CasesText> text)
        {
            RuleFor(i => i.Reason).Must(r => r is not null && r.Trim().Length >= 10)
                .WithMessage(text["State the reason in at least 10 characters."])
                .MaximumTextLength(1000).WithMessage(text["A reason can be at most 1,000 characters."]);
        }
    }
}
