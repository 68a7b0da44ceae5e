using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Admin;

/// <summary>
/// The center's practice for minors (managers only, see <see cref="Infrastructure.PortalAuthorization"/>): who decides
/// each kind of decision, from which age a minor decides alone, and a note. Every changed row is one access-log row
/// with who, when and the rule before and after, saved with the change.
/// </summary>
public sealed class MinorsPracticeModel(PortalDbContext db, TimeProvider clock, IStringLocalizer<GuardianText> text) : PageModel
{
    /// <summary>What the access log names as the page of a change; the decision and the rules follow after '#'.</summary>
    public const string LoggedAs = "/Admin/MinorsPractice";

    [BindProperty]
    public List<PracticeInput> Rows { get; set; } = [];

    public async Task OnGetAsync()
    {
        var practice = await db.MinorsPractice.AsNoTracking().OrderBy(p => p.Id).ToListAsync(HttpContext.RequestAborted);
        Rows = [.. practice.Select(p => new PracticeInput { Decision = p.Decision, DecidedBy = p.DecidedBy, AloneFromAge = p.AloneFromAge, Note = p.Note, ChangedAt = p.ChangedAt })];
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var ct = HttpContext.RequestAborted;
        var practice = await db.MinorsPractice.OrderBy(p => p.Id).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var staffId = CaseAccessHandler.StaffIdOf(User);
        var changed = 0;
        // A value the binder could not read (a hand-made post) is named in the reader's language, never quoted.
        foreach (var (key, entry) in ModelState.Where(e => e.Value!.Errors.Count > 0).ToList())
        {
            entry!.Errors.Clear();
            ModelState.AddModelError(key, text[Refusal(key.EndsWith(".AloneFromAge", StringComparison.Ordinal) ? "practice.age" : "practice.decider")]);
        }
        for (var i = 0; i < Rows.Count; i++)
        {
            var row = Rows[i];
            if (practice.SingleOrDefault(p => p.Decision == row.Decision) is not { } rule)
            {
                ModelState.AddModelError(string.Empty, text["Choose one of the options shown."]);
                continue;
            }
            row.ChangedAt = rule.ChangedAt;
            if (ModelState.Keys.Any(k => k.StartsWith($"Rows[{i}].", StringComparison.Ordinal) && ModelState[k]!.Errors.Count > 0)) continue;
            var before = rule.Rule;
            var noteBefore = rule.Note;
            try
            {
                if (!rule.Change(row.DecidedBy, row.AloneFromAge, row.Note, staffId, now)) continue;
            }
            catch (DomainRuleException refusal)
            {
                ModelState.AddModelError(refusal.Rule == "practice.note" ? $"Rows[{i}].Note" : $"Rows[{i}].AloneFromAge", text[Refusal(refusal.Rule)]);
                continue;
            }
            changed++;
            CaseAccessLog.Record(db, now, staffId, CaseAccessHandler.ActorRoleOf(User, null), caseId: null, AccessAction.MinorsPracticeChanged,
                $"{LoggedAs}#{rule.Decision}:{before}>{rule.Rule}",
                reason: noteBefore == rule.Note ? null : $"{noteBefore} → {rule.Note}");
        }
        if (!ModelState.IsValid)
        {
            // Nothing is saved while any row is refused: the form comes back as typed.
            return Page();
        }
        await db.SaveChangesAsync(ct);
        TempData["Saved"] = changed == 0 ? text["Nothing was changed."].Value : text["The practice for minors was saved."].Value;
        return RedirectToPage();
    }

    public static string Refusal(string rule) => rule switch
    {
        "practice.age" => "Enter an age between 1 and 18 years, or leave it empty.",
        "practice.age-without-consent" => "An age applies only where a guardian's consent is needed below it.",
        "practice.note" => "Please keep the note under 400 characters.",
        _ => "Choose one of the options shown.",
    };

    public sealed record PracticeInput
    {
        public MinorDecision Decision { get; set; }
        public MinorDecider DecidedBy { get; set; }
        public int? AloneFromAge { get; set; }
        public string? Note { get; set; }

        /// <summary>Shown beside the row; never read from the form.</summary>
        public DateTimeOffset ChangedAt { get; set; }
    }
}
