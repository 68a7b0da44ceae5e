using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Pages.Shared;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Status;

/// <summary>
/// A minor's guardians as she described them, by relation only: she can say at any time that one is not safe (any
/// contact kept for them goes at once) or name another one.
/// </summary>
public sealed class GuardiansModel(PortalDbContext db, VictimCase victimCase, TimeProvider clock, IStringLocalizer<GuardianText> text) : PageModel
{
    private const string What = "Status/Guardians";

    public bool IsMinor { get; private set; }

    public IReadOnlyList<Guardian> Named { get; private set; } = [];

    /// <summary>Guardians to name or to change; starts empty: what is kept is shown above by relation only.</summary>
    [BindProperty]
    public List<GuardianStatement> Guardians { get; set; } = [];

    public async Task OnGetAsync()
    {
        Show(await LoadAsync());
        await victimCase.SaveViewAsync(HttpContext.RequestAborted);
    }

    /// <summary>She says a guardian may be the offender or is not safe: the contact is removed in this same save.</summary>
    public async Task<IActionResult> OnPostUnsafeAsync(GuardianRelation relation)
    {
        var @case = await LoadAsync();
        if (!ModelState.IsValid || !@case.IsMinor || !Enum.IsDefined(relation))
        {
            // Never quote what could not be read: one message in her language.
            ModelState.Clear();
            ModelState.AddModelError(string.Empty, text["Choose one of the options shown."]);
            Show(@case);
            await victimCase.SaveViewAsync(HttpContext.RequestAborted);
            return Page();
        }
        @case.MarkGuardianUnsafe(relation, clock.GetUtcNow());
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Notice"] = text["Saved. We will never contact this person."].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostNameAsync()
    {
        var @case = await LoadAsync();
        // A choice the binder could not read (a hand-made post) refuses the whole form: nothing is guessed.
        var valid = ModelState.IsValid;
        foreach (var (key, entry) in ModelState.Where(e => e.Value!.Errors.Count > 0).ToList())
        {
            entry!.Errors.Clear();
            ModelState.AddModelError(key, text["Choose one of the options shown."]);
        }
        valid &= GuardianStatements.Check(ModelState, nameof(Guardians), Guardians, text);
        if (!@case.IsMinor)
        {
            ModelState.AddModelError(string.Empty, text["Guardians are asked about only for someone under 19."]);
            valid = false;
        }
        else if (valid && GuardianStatements.Said(Guardians).Count == 0)
        {
            ModelState.AddModelError(string.Empty, text["Choose, for at least one guardian, whether they are safe to contact."]);
            valid = false;
        }
        if (valid)
        {
            try
            {
                GuardianStatements.Apply(@case, Guardians, clock.GetUtcNow());
                await db.SaveChangesAsync(HttpContext.RequestAborted);
                TempData["Notice"] = text["Saved. Thank you for telling us."].Value;
                return RedirectToPage();
            }
            catch (DomainRuleException)
            {
                ModelState.AddModelError(string.Empty, text["This case is closed: a guardian can no longer be named as safe. You can still tell us that someone is not safe."]);
            }
        }
        Show(@case);
        await victimCase.SaveViewAsync(HttpContext.RequestAborted);
        return Page();
    }

    private Task<Case> LoadAsync() => victimCase.LoadAsync(q => q.Include(c => c.Guardians), What, HttpContext.RequestAborted);

    private void Show(Case @case)
    {
        IsMinor = @case.IsMinor;
        Named = [.. @case.Guardians.Where(g => g.NamedSafe || g.MarkedUnsafe).OrderBy(g => g.Relation)];
    }
}
