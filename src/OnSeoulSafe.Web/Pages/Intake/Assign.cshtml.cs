using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Pages.Cases;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Intake;

/// <summary>
/// Assigns or reassigns a case's companion. Shows no case content. Two managers assigning at once: the case's row
/// version lets only the first save win; the other is told and sees who holds the case now.
/// </summary>
public sealed class AssignModel(PortalDbContext db, CaseAccessContext access, TimeProvider clock, IStringLocalizer<CasesText> text) : PageModel
{
    public sealed record Summary(string Reference, CasePriority Priority, CaseStatus Status, bool IsMinor, DateTimeOffset CreatedAt, string Language, Guid? CompanionId, uint Version);

    public sealed record PastAssignment(Guid CompanionId, DateTimeOffset AssignedAt, DateTimeOffset? EndedAt, string? Reason);

    public Summary Case { get; private set; } = null!;
    public IReadOnlyList<StaffOption> Suggestions { get; private set; } = [];
    public IReadOnlyList<PastAssignment> History { get; private set; } = [];
    public Dictionary<Guid, string> Names { get; private set; } = [];

    [BindProperty]
    public AssignInput Input { get; set; } = new();

    public async Task OnGetAsync()
    {
        await LoadAsync();
        Input = new AssignInput { Version = Case.Version };
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        await LoadAsync();
        // Someone assigned the case after this form was shown: say so, rather than judging the form against the new
        // state (it would ask for a reassignment reason the manager never meant to give).
        if (Case.Version != Input.Version) return ChangedMeanwhile();
        var companion = Input.CompanionId is { } id ? Suggestions.FirstOrDefault(s => s.Id == id) : null;
        if (companion is null)
        {
            ModelState.AddModelError("Input.CompanionId", text["Choose a companion."]);
        }
        if (Case.CompanionId is not null && string.IsNullOrWhiteSpace(Input.Reason))
        {
            ModelState.AddModelError("Input.Reason", text["Say why the case changes hands."]);
        }
        if (Input.Reason is { Length: > 1000 })
        {
            ModelState.AddModelError("Input.Reason", text["A reason can be at most 1,000 characters."]);
        }
        if (companion is null || ModelState.ErrorCount > 0)
        {
            return Page();
        }

        var tracked = await db.Cases.Include(c => c.Assignments).Include(c => c.Tracks).SingleAsync(c => c.Id == access.CaseId, cancellationToken);
        // The version the manager saw when the form was shown, not the one just read.
        db.Entry(tracked).Property(c => c.Version).OriginalValue = Input.Version;
        var member = await db.Users.SingleAsync(u => u.Id == companion.Id, cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            var reason = string.IsNullOrWhiteSpace(Input.Reason) ? null : Input.Reason.Trim();
            tracked.AssignTo(member, access.StaffId, now, reason);
            if (member.Id == access.StaffId)
            {
                // Taking a case for oneself is a break-the-glass: its reason goes into the sealed log with the assignment.
                CaseAccessLog.Record(db, now, access.StaffId, access.ActorRole, access.CaseId, AccessAction.BreakTheGlass, "/Intake/Assign", reason);
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainRuleException refusal)
        {
            ModelState.AddModelError(refusal.Rule == "case.assign.self" ? "Input.Reason" : "Input.CompanionId", text[CaseLabels.Rule(refusal.Rule)]);
            return Page();
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            await LoadAsync();
            return ChangedMeanwhile();
        }
        TempData["Done"] = text["Case {0} is assigned to {1}.", Case.Reference, companion.FirstName].Value;
        return RedirectToPage("/Intake/Index");
    }

    private PageResult ChangedMeanwhile()
    {
        ModelState.Clear();
        Input = Input with { Version = Case.Version };
        ModelState.AddModelError(string.Empty, text["Someone else changed this case's assignment a moment ago. Check who holds it now before assigning again."]);
        return Page();
    }

    private async Task LoadAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        Case = await db.Cases.AsNoTracking()
            .Where(c => c.Id == access.CaseId)
            .Select(c => new Summary(c.Reference, c.Priority, c.Status, c.IsMinor, c.CreatedAt, c.Victim.PreferredLanguage, c.AssignedCompanionId, c.Version))
            .SingleAsync(cancellationToken);
        History = await db.Assignments.AsNoTracking().Where(a => a.CaseId == access.CaseId).OrderByDescending(a => a.AssignedAt)
            .Select(a => new PastAssignment(a.CompanionId, a.AssignedAt, a.EndedAt, a.Reason)).ToListAsync(cancellationToken);
        var companions = await CaseFiles.StaffInRolesAsync(db, [StaffRoles.Companion], cancellationToken);
        // Companions who have signed in at least once, then those who speak the victim's language, then the lightest
        // caseload: a new account nobody has used yet would leave the case waiting.
        Suggestions = companions
            .OrderByDescending(c => c.HasSignedIn)
            .ThenByDescending(c => c.Languages.Contains(Case.Language))
            .ThenBy(c => c.OpenCases)
            .ToList();
        Names = await CaseFiles.FirstNamesAsync(db, History.Select(h => (Guid?)h.CompanionId).Append(Case.CompanionId), cancellationToken);
    }

    public string NameOf(Guid? id) => id is { } value && Names.TryGetValue(value, out var name) ? name : "";

    public sealed record AssignInput
    {
        public Guid? CompanionId { get; set; }
        public string? Reason { get; set; }
        public uint Version { get; set; }
    }
}
