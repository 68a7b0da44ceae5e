using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Notices;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>
/// The escalation ladder for the deletion team: links whose platform let every deadline pass, with the prepared report
/// to the regulator (KCSC) and its evidence list (address, platform, dates of the request and each notice, the
/// platform's references, the last check, the file fingerprint), and the action that records the report as sent by a
/// person. Managers see every case's links and the counts per platform and step; companions their own cases' links.
/// Each case shown gets its access-log row.
/// </summary>
public sealed class EscalationModel(
    PortalDbContext db,
    EscalationLadder ladder,
    NoticeOptions options,
    IAuthorizationService authorization,
    TimeProvider clock,
    IStringLocalizer<EscalationText> text) : PageModel
{
    private const string What = "/Cases/Escalation";
    public const int Shown = 100;

    /// <summary>One link waiting for its report to the regulator, with its evidence.</summary>
    public sealed record ReportRow(
        long ItemId,
        string Reference,
        string? Platform,
        string Url,
        ContentKind Kind,
        bool IsMinor,
        DateTimeOffset FirstSeenAt,
        DateTimeOffset? RequestedAt,
        IReadOnlyList<DeletionNotice> Notices,
        DateTimeOffset? LastCheckedAt,
        RecheckOutcome? LastCheckOutcome,
        string? Sha256);

    public IReadOnlyList<ReportRow> Reports { get; private set; } = [];
    public IReadOnlyList<LadderCount> Counts { get; private set; } = [];
    public bool ShowsCounts { get; private set; }

    public async Task OnGetAsync()
    {
        await LoadAsync(null);
        await db.SaveChangesAsync(HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostReportAsync(long itemId)
    {
        var ct = HttpContext.RequestAborted;
        var me = CaseAccessHandler.StaffIdOf(User);
        var now = clock.GetUtcNow();
        var item = await db.ContentItems.Include(i => i.Requests).SingleOrDefaultAsync(i => i.Id == itemId, ct);
        if (me is null || item is null)
        {
            ModelState.AddModelError(string.Empty, text["No report to the regulator is waiting for this link."]);
            await LoadAsync(null);
            await db.SaveChangesAsync(ct);
            return Page();
        }
        if (item.CaseId is { } caseId)
        {
            var resource = await db.Cases.AsNoTracking().Where(c => c.Id == caseId)
                .Select(c => new CaseResource(c.Id, c.Reference, c.AssignedCompanionId)).SingleAsync(ct);
            var role = CaseAccessHandler.ActorRoleOf(User, resource.AssignedCompanionId);
            if (!(await authorization.AuthorizeAsync(User, resource, CaseAccessRequirement.DeletionQueue)).Succeeded)
            {
                db.ChangeTracker.Clear();
                CaseAccessLog.Record(db, now, me, role, caseId, AccessAction.Denied, What);
                await db.SaveChangesAsync(ct);
                return StatusCode(StatusCodes.Status403Forbidden);
            }
            CaseAccessLog.Record(db, now, me, role, caseId, AccessAction.Edit, What + "#Report");
        }
        else if (!CaseAccessHandler.MayRequestCaseless(User))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        try
        {
            item.RecordRegulatorReportSent(me.Value, now, options.RegulatorDeadline);
        }
        catch (DomainRuleException)
        {
            db.ChangeTracker.Clear();
            ModelState.AddModelError(string.Empty, text["No report to the regulator is waiting for this link."]);
            await LoadAsync(null);
            await db.SaveChangesAsync(ct);
            return Page();
        }
        await db.SaveChangesAsync(ct);
        TempData["Done"] = text["The report to the regulator is recorded as sent."].Value;
        return RedirectToPage();
    }

    private async Task LoadAsync(long? editedCase)
    {
        var ct = HttpContext.RequestAborted;
        var now = clock.GetUtcNow();
        var companion = CaseAccessHandler.DeletionQueueCompanionOf(User);
        var rows = await (
            from item in db.ContentItems.AsNoTracking()
            join c in db.Cases on item.CaseId equals c.Id into cases
            from c in cases.DefaultIfEmpty()
            where item.EscalationStep == EscalationStep.RegulatorReport
                && (item.Status == ContentStatus.Requested || item.Status == ContentStatus.Refused || item.Status == ContentStatus.NoResponse)
                && (companion == null || (c != null && c.AssignedCompanionId == companion))
            orderby item.IsMinor descending, item.StatusChangedAt, item.Id
            select new { Item = item, Platform = item.Platform == null ? null : item.Platform.Name, Reference = c == null ? null : c.Reference, c.AssignedCompanionId })
            .Take(Shown)
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Item.Id).ToList();
        var notices = await db.DeletionNotices.AsNoTracking().Where(n => ids.Contains(n.ContentItemId)).OrderBy(n => n.Id).ToListAsync(ct);
        var requested = await db.Set<DeletionRequest>().AsNoTracking().Where(r => ids.Contains(r.ContentItemId))
            .GroupBy(r => r.ContentItemId).Select(g => new { g.Key, At = g.Max(r => r.RequestedAt) }).ToDictionaryAsync(g => g.Key, g => g.At, ct);
        Reports = rows.Select(r => new ReportRow(r.Item.Id, r.Reference ?? ContentLedger.CaselessReference(r.Item.Id), r.Platform, r.Item.Url, r.Item.Kind, r.Item.IsMinor,
            r.Item.FirstSeenAt, requested.TryGetValue(r.Item.Id, out var at) ? at : null, notices.Where(n => n.ContentItemId == r.Item.Id).ToList(),
            r.Item.LastCheckedAt, r.Item.LastCheckOutcome, r.Item.Sha256)).ToList();
        var me = CaseAccessHandler.StaffIdOf(User);
        foreach (var shown in rows.Where(r => r.Item.CaseId is not null && r.Item.CaseId != editedCase).GroupBy(r => r.Item.CaseId!.Value))
        {
            CaseAccessLog.Record(db, now, me, CaseAccessHandler.ActorRoleOf(User, shown.First().AssignedCompanionId), shown.Key, AccessAction.View, What);
        }
        ShowsCounts = companion is null;
        Counts = ShowsCounts ? await ladder.CountsAsync(ct) : [];
    }
}
