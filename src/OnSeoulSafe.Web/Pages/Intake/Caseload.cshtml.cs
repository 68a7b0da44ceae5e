using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Pages.Admin.Staff;
using OnSeoulSafe.Web.Pages.Cases;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Intake;

/// <summary>
/// Hands a staff member's whole open caseload over in one step (before their account is disabled, or for a long
/// absence): every case goes back to the intake queue or to a named colleague, one choice for all with a choice per
/// case where it differs; the tracks they answer for follow the case. Each case keeps its history and each move writes
/// its timeline entry and its access-log row in the one save that also disables the account.
/// </summary>
public sealed class CaseloadModel(
    PortalDbContext db,
    UserManager<StaffMember> users,
    TimeProvider clock,
    IStringLocalizer<WorkText> text,
    ILogger<CaseloadModel> logger) : PageModel
{
    /// <summary>The choice that sends a case back to the intake queue.</summary>
    public const string ToQueue = "queue";

    /// <summary>The "what" of each move in the access log.</summary>
    public const string What = "/Intake/Caseload";

    public sealed record OpenCase(long Id, string Reference, CasePriority Priority, bool IsMinor, CaseStatus Status, bool AssignedToThem, List<ServiceTrackKind> HeldTracks)
    {
        /// <summary>An Emergency case of a minor never waits unassigned.</summary>
        public bool NeedsAColleague => IsMinor && Priority == CasePriority.Emergency;
    }

    [BindProperty(SupportsGet = true)]
    public Guid Staff { get; set; }

    [BindProperty]
    public HandoverInput Input { get; set; } = new();

    public StaffMember Member { get; private set; } = null!;
    public IReadOnlyList<OpenCase> Cases { get; private set; } = [];
    public IReadOnlyList<StaffOption> Colleagues { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await LoadAsync()) return RedirectToPage("/Admin/Staff/Index");
        Input = new HandoverInput { Disable = Member.IsActive };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!await LoadAsync()) return RedirectToPage("/Admin/Staff/Index");
        var me = CaseAccessHandler.StaffIdOf(User)!.Value;
        if (Member.Id == me && Input.Disable)
        {
            ModelState.AddModelError("Input.Disable", text["You cannot disable your own account."]);
        }
        if (Input.Reason is { Length: > 1000 })
        {
            ModelState.AddModelError("Input.Reason", text["A reason can be at most 1,000 characters."]);
        }
        var anyMoves = Cases.Any(c => c.AssignedToThem);
        if (anyMoves && string.IsNullOrWhiteSpace(Input.Reason))
        {
            ModelState.AddModelError("Input.Reason", text["Say why the cases change hands."]);
        }
        var destinations = new Dictionary<long, string>();
        foreach (var @case in Cases.Where(c => c.AssignedToThem))
        {
            var choice = Input.PerCase.GetValueOrDefault(@case.Id);
            if (string.IsNullOrWhiteSpace(choice)) choice = Input.Everyone;
            var key = $"Input.PerCase[{@case.Id}]";
            if (string.IsNullOrWhiteSpace(choice))
            {
                ModelState.AddModelError(key, text["Choose where case {0} goes.", @case.Reference]);
            }
            else if (choice == ToQueue && @case.NeedsAColleague)
            {
                ModelState.AddModelError(key, text["Case {0} is an Emergency case of a minor: choose a colleague for it.", @case.Reference]);
            }
            else if (choice != ToQueue && !Colleagues.Any(s => s.Id.ToString() == choice))
            {
                ModelState.AddModelError(key, text["Choose where case {0} goes.", @case.Reference]);
            }
            else
            {
                destinations[@case.Id] = choice;
            }
        }
        if (ModelState.ErrorCount > 0) return Page();

        var now = clock.GetUtcNow();
        var ids = Cases.Select(c => c.Id).ToList();
        var tracked = await db.Cases.Include(c => c.Assignments).Include(c => c.Tracks)
            .Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
        var colleagueIds = destinations.Values.Where(v => v != ToQueue).Select(Guid.Parse)
            .Concat(tracked.Where(c => c.AssignedCompanionId is not null && c.AssignedCompanionId != Member.Id).Select(c => c.AssignedCompanionId!.Value))
            .Distinct().ToList();
        var colleagues = await db.Users.Where(u => colleagueIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        var reason = Input.Reason?.Trim();
        try
        {
            foreach (var @case in tracked)
            {
                if (destinations.TryGetValue(@case.Id, out var choice))
                {
                    if (choice == ToQueue)
                    {
                        @case.ReturnToQueue(me, now);
                    }
                    else
                    {
                        var to = colleagues[Guid.Parse(choice)];
                        @case.AssignTo(to, me, now, reason);
                    }
                }
                else
                {
                    // A track they held on a colleague's case: it goes to that case's companion.
                    var holder = @case.AssignedCompanionId is { } companionId && colleagues.TryGetValue(companionId, out var c) && c.IsActive ? c : null;
                    @case.HandOverTracksOf(Member.Id, holder, me, now);
                }
                CaseAccessLog.Record(db, now, me, StaffRoles.Manager, @case.Id, AccessAction.Edit, What);
            }
        }
        catch (DomainRuleException refusal)
        {
            db.ChangeTracker.Clear();
            ModelState.AddModelError(string.Empty, text[Refusal(refusal.Rule)]);
            return Page();
        }

        try
        {
            if (Input.Disable)
            {
                Member.IsActive = false;
                // Renewing the stamp saves through the same context: the moves, their log rows and the disabled
                // account are one transaction, and the person's open sessions end on their next request.
                Check(await users.UpdateSecurityStampAsync(Member));
            }
            else
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            await LoadAsync();
            ModelState.AddModelError(string.Empty, text["A case of this caseload changed meanwhile. Check the list again and confirm."]);
            return Page();
        }

        StaffAccounts.Changed(logger, Member.Id, $"caseload handed over ({destinations.Count} cases, {tracked.Count - destinations.Count} other cases' tracks){(Input.Disable ? ", disabled" : "")}", me.ToString());
        TempData["Done"] = (Input.Disable, destinations.Count) switch
        {
            (true, 0) => text["{0} is disabled and signed out.", Member.FullName].Value,
            (true, var n) => text["{0} cases handed over. {1} is disabled and signed out.", n, Member.FullName].Value,
            (false, 0) => text["Service tracks of {0} handed over.", Member.FullName].Value,
            (false, var n) => text["{0} cases handed over from {1}.", n, Member.FullName].Value,
        };
        return RedirectToPage("/Admin/Staff/Index");
    }

    private static string Refusal(string rule) => rule switch
    {
        "case.unassign.emergency-minor" => "An Emergency case of a minor goes to a named colleague, never back to the queue.",
        _ => CaseLabels.Rule(rule),
    };

    private async Task<bool> LoadAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var member = await db.Users.SingleOrDefaultAsync(u => u.Id == Staff, cancellationToken);
        if (member is null) return false;
        Member = member;
        var id = member.Id;
        Cases = await db.Cases.AsNoTracking()
            .Where(c => c.Status != CaseStatus.Closed && c.Status != CaseStatus.Withdrawn
                && (c.AssignedCompanionId == id || c.Tracks.Any(t => t.ResponsibleStaffId == id)))
            .Select(c => new OpenCase(c.Id, c.Reference, c.Priority, c.IsMinor, c.Status, c.AssignedCompanionId == id,
                c.Tracks.Where(t => t.ResponsibleStaffId == id).Select(t => t.Kind).ToList()))
            .ToListAsync(cancellationToken);
        Cases = Cases.Where(c => c.AssignedToThem).OrderBy(c => CaseFiles.PriorityRank(c.Priority)).ThenByDescending(c => c.IsMinor).ThenBy(c => c.Reference, StringComparer.Ordinal)
            .Concat(Cases.Where(c => !c.AssignedToThem).OrderBy(c => c.Reference, StringComparer.Ordinal))
            .ToList();
        // Colleagues who can take cases, lightest caseload first.
        Colleagues = (await CaseFiles.StaffInRolesAsync(db, [StaffRoles.Companion], cancellationToken))
            .Where(s => s.Id != id).OrderBy(s => s.OpenCases).ThenBy(s => s.FullName, StringComparer.Ordinal).ToList();
        return true;
    }

    /// <summary>Whether the account has open cases or tracks that would be left with nobody if it were disabled now.</summary>
    public static Task<bool> HasOpenWorkAsync(PortalDbContext db, Guid staffId, CancellationToken cancellationToken) =>
        db.Cases.AnyAsync(c => c.Status != CaseStatus.Closed && c.Status != CaseStatus.Withdrawn
            && (c.AssignedCompanionId == staffId || c.Tracks.Any(t => t.ResponsibleStaffId == staffId)), cancellationToken);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException("The staff account could not be saved: " + string.Join(", ", result.Errors.Select(e => e.Code)));
    }

    public sealed record HandoverInput
    {
        /// <summary>Where every case goes unless chosen otherwise: <see cref="ToQueue"/> or a colleague's id.</summary>
        public string? Everyone { get; set; }

        /// <summary>A different destination for single cases, by case id; empty means "as above".</summary>
        public Dictionary<long, string?> PerCase { get; set; } = [];

        public string? Reason { get; set; }

        public bool Disable { get; set; } = true;
    }
}
