using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>Closes a case with an outcome; the domain refuses while a track is open unless a reason is given.</summary>
public sealed class CloseModel(PortalDbContext db, CaseAccessContext access, TimeProvider clock, IStringLocalizer<CasesText> text) : PageModel
{
    public Case Case { get; private set; } = null!;
    public IReadOnlyList<ServiceTrack> OpenTracks { get; private set; } = [];

    [BindProperty]
    public CloseInput Input { get; set; } = new();

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadAsync();
        if (!ModelState.AddErrors(new CloseValidator(text).Validate(Input)))
        {
            return Page();
        }
        try
        {
            Case.Close(Input.Outcome!.Value, Input.Note, access.StaffId, clock.GetUtcNow());
        }
        catch (DomainRuleException refusal)
        {
            ModelState.AddModelError(refusal.Rule == "case.close.open-tracks" ? "Input.Note" : string.Empty, text[CaseLabels.Rule(refusal.Rule)]);
            return Page();
        }
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Done"] = text["The case is closed."].Value;
        return RedirectToPage("/Cases/File", new { reference = access.Reference.ToLowerInvariant() });
    }

    private async Task LoadAsync()
    {
        Case = await db.Cases.Include(c => c.Tracks).SingleAsync(c => c.Id == access.CaseId, HttpContext.RequestAborted);
        OpenTracks = Case.Tracks.Where(t => t.IsOpen).OrderBy(t => t.Kind).ToList();
    }

    public sealed record CloseInput
    {
        public CaseOutcome? Outcome { get; set; }
        public string? Note { get; set; }
    }

    private sealed class CloseValidator : AbstractValidator<CloseInput>
    {
        public CloseValidator(IStringLocalizer<CasesText> text)
        {
            RuleFor(i => i.Outcome).NotNull().WithMessage(text["Choose the outcome."]).IsInEnum();
            RuleFor(i => i.Note).MaximumTextLength(4000).WithMessage(text["A note can be at most 4,000 characters."]);
        }
    }
}
