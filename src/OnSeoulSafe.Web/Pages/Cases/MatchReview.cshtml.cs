using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>
/// Copies monitoring found that wait for a person: the address (as inert text), platform, distance and hash kind, and
/// why it waits; never anything of the picture. The companion approves (the ledger's own deletion request) or
/// dismisses with a reason. Companions see their own cases' matches, managers every case's; each case shown gets its
/// access-log row, saved with any decision made here.
/// </summary>
public sealed class MatchReviewModel(
    PortalDbContext db,
    ContentLedger ledger,
    IAuthorizationService authorization,
    TimeProvider clock,
    IStringLocalizer<MatchReviewText> text) : PageModel
{
    public const int Length = 200;
    private const string What = CaseAccessLog.MatchReviewList;

    /// <summary>One waiting copy: nothing of the picture, only where it is and how close its hash is.</summary>
    public sealed record Row(long MatchId, string CaseReference, bool IsMinor, string Url, string? PlatformName, HashKind Kind, int Distance, int? Quality,
        MatchWaitReason? Reason, DateTimeOffset FoundAt, DateTimeOffset LastFoundAt, Guid? CompanionId, long CaseId);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    /// <summary>The reason typed for a dismissal that was refused, shown again so nothing typed is lost.</summary>
    [BindProperty]
    public string? Reason { get; set; }

    public long? FailedMatchId { get; private set; }

    public async Task OnGetAsync()
    {
        await LoadAsync(null);
        await db.SaveChangesAsync(HttpContext.RequestAborted);
    }

    public Task<IActionResult> OnPostApproveAsync(long matchId, string? language) => DecideAsync(matchId, approve: true, language);

    public Task<IActionResult> OnPostDismissAsync(long matchId) => DecideAsync(matchId, approve: false, null);

    private async Task<IActionResult> DecideAsync(long matchId, bool approve, string? language)
    {
        var ct = HttpContext.RequestAborted;
        var me = CaseAccessHandler.StaffIdOf(User);
        var now = clock.GetUtcNow();
        var match = await db.MonitoringMatches.SingleOrDefaultAsync(m => m.Id == matchId, ct);
        if (me is null || match is null || match.Decision != MatchDecision.Waiting)
        {
            ModelState.AddModelError(string.Empty, text["This match was already decided."]);
            await LoadAsync(null);
            await db.SaveChangesAsync(ct);
            return Page();
        }
        var resource = await db.Cases.AsNoTracking().Where(c => c.Id == match.CaseId)
            .Select(c => new CaseResource(c.Id, c.Reference, c.AssignedCompanionId)).SingleAsync(ct);
        var role = CaseAccessHandler.ActorRoleOf(User, resource.AssignedCompanionId);
        if (!(await authorization.AuthorizeAsync(User, resource, CaseAccessRequirement.DeletionQueue)).Succeeded)
        {
            CaseAccessLog.Record(db, now, me, role, resource.CaseId, AccessAction.Denied, What);
            await db.SaveChangesAsync(ct);
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        var @case = await db.Cases.AsSplitQuery().Include(c => c.Victim).Include(c => c.Consents).SingleAsync(c => c.Id == resource.CaseId, ct);
        if (!@case.IsOpen)
        {
            ModelState.AddModelError(string.Empty, text["This case is closed. Reopen it before changing links."]);
        }
        else if (approve)
        {
            var batch = await ledger.RequestDeletionAsync(@case, [match.ContentItemId], language == DeletionRequestText.English ? DeletionRequestText.English : DeletionRequestText.Korean, me.Value, ct);
            if (batch.WithoutPlatform.Count > 0)
            {
                ModelState.AddModelError(string.Empty, text["Choose a platform for this link on the case's deletion ledger first."]);
            }
            else if (batch.RequestedCount == 0)
            {
                ModelState.AddModelError(string.Empty, text["This link is no longer waiting for a deletion request."]);
            }
            else
            {
                match.Approve(me.Value, now);
                TempData["Done"] = text["Deletion requested."].Value;
            }
        }
        else if (string.IsNullOrWhiteSpace(Reason) || Reason.Trim().Length > MonitoringMatch.MaxReasonLength)
        {
            ModelState.AddModelError(nameof(Reason), text["Say why this match is dismissed (at most {0} characters).", MonitoringMatch.MaxReasonLength]);
            FailedMatchId = matchId;
        }
        else
        {
            match.Dismiss(me.Value, Reason, now);
            TempData["Done"] = text["Match dismissed."].Value;
        }
        CaseAccessLog.Record(db, now, me, role, resource.CaseId, AccessAction.Edit, What + (approve ? "#Approve" : "#Dismiss"));
        if (ModelState.IsValid)
        {
            await db.SaveChangesAsync(ct);
            return RedirectToPage();
        }
        db.ChangeTracker.Entries().Where(e => e.Entity is not AccessLogEntry).ToList().ForEach(e => e.State = EntityState.Detached);
        await LoadAsync(resource.CaseId);
        await db.SaveChangesAsync(ct);
        return Page();
    }

    /// <summary>Reads the waiting matches this user may see and logs one read per case shown (but the one just changed, logged as an edit).</summary>
    private async Task LoadAsync(long? editedCase)
    {
        var ct = HttpContext.RequestAborted;
        var now = clock.GetUtcNow();
        var companion = CaseAccessHandler.DeletionQueueCompanionOf(User);
        Rows = await db.MonitoringMatches.AsNoTracking()
            .Where(m => m.Decision == MatchDecision.Waiting)
            .Join(db.Cases, m => m.CaseId, c => c.Id, (m, c) => new { m, c })
            .Where(x => x.c.Status != CaseStatus.Closed && x.c.Status != CaseStatus.Withdrawn && (companion == null || x.c.AssignedCompanionId == companion))
            .OrderByDescending(x => x.c.IsMinor).ThenBy(x => x.m.FoundAt).ThenBy(x => x.m.Id)
            .Take(Length)
            .Select(x => new Row(x.m.Id, x.c.Reference, x.c.IsMinor, x.m.ContentItem!.Url, x.m.ContentItem.Platform == null ? null : x.m.ContentItem.Platform.Name,
                x.m.Kind, x.m.Distance, x.m.Quality, x.m.WaitReason, x.m.FoundAt, x.m.LastFoundAt, x.c.AssignedCompanionId, x.c.Id))
            .ToListAsync(ct);
        var me = CaseAccessHandler.StaffIdOf(User);
        foreach (var shown in Rows.Where(r => r.CaseId != editedCase).GroupBy(r => r.CaseId))
        {
            CaseAccessLog.Record(db, now, me, CaseAccessHandler.ActorRoleOf(User, shown.First().CompanionId), shown.Key, AccessAction.View, What);
        }
    }
}
