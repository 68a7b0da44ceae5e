using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>
/// The deletion request queue across cases: links still found or reappeared that need a request, minors' first (they
/// are requested without anyone asking, even before the case is assigned). Managers see every case's links and the
/// case-less ones; companions those of their own cases. Who sees and requests what is decided by
/// <see cref="CaseAccessHandler"/>; each case shown gets its access-log row, saved together with any request made here.
/// </summary>
public sealed class DeletionQueueModel(
    PortalDbContext db,
    ContentLedger ledger,
    IAuthorizationService authorization,
    TimeProvider clock,
    IStringLocalizer<DeletionText> text,
    IStringLocalizer<WorkText> work) : PageModel
{
    public const int QueueLength = 200;
    private const string What = CaseAccessLog.DeletionQueueList;

    public IReadOnlyList<QueuedItem> Items { get; private set; } = [];

    /// <summary>Case-less links requested and not yet known gone (managers only): the platform's answer is recorded here.</summary>
    public IReadOnlyList<ContentItem> CaselessAwaiting { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    /// <summary>The request just made, with the reference it carries (the case's, or the case-less one).</summary>
    public PlatformRequest? Requested { get; private set; }
    public string? RequestedReference { get; private set; }
    public string RequestedLanguage { get; private set; } = DeletionRequestText.Korean;

    public async Task OnGetAsync()
    {
        await LoadAsync(null);
        await db.SaveChangesAsync(HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostRequestAsync(long itemId, string? language)
    {
        var ct = HttpContext.RequestAborted;
        RequestedLanguage = language == DeletionRequestText.English ? DeletionRequestText.English : DeletionRequestText.Korean;
        var me = CaseAccessHandler.StaffIdOf(User);
        var now = clock.GetUtcNow();
        var item = await db.ContentItems.AsNoTracking().Where(i => i.Id == itemId).Select(i => new { i.CaseId, i.Status }).SingleOrDefaultAsync(ct);
        long? editedCase = null;
        if (me is null || item is null || !ContentLedger.Requestable.Contains(item.Status))
        {
            ModelState.AddModelError(string.Empty, text["This link is no longer waiting for a deletion request."]);
        }
        else if (item.CaseId is null)
        {
            if (!CaseAccessHandler.MayRequestCaseless(User)) return StatusCode(StatusCodes.Status403Forbidden);
            Requested = await ledger.RequestCaselessAsync(itemId, null, RequestedLanguage, me.Value, ct);
            if (Requested is null) ModelState.AddModelError(string.Empty, text["Choose the platform on the monitor reports page first."]);
            RequestedReference = ContentLedger.CaselessReference(itemId);
        }
        else
        {
            var resource = await db.Cases.AsNoTracking().Where(c => c.Id == item.CaseId)
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
            else
            {
                try
                {
                    Requested = await ledger.RequestQueuedAsync(@case, itemId, RequestedLanguage, me.Value, ct);
                }
                catch (DomainRuleException)
                {
                    ModelState.AddModelError(string.Empty, text["This link is no longer waiting for a deletion request."]);
                }
                if (Requested is null && ModelState.IsValid)
                {
                    ModelState.AddModelError(string.Empty, text["Choose a platform for this link on the case's deletion ledger first."]);
                }
            }
            RequestedReference = resource.Reference;
            CaseAccessLog.Record(db, now, me, role, resource.CaseId, AccessAction.Edit, What + "#Request");
            editedCase = resource.CaseId;
        }
        if (Requested is not null) TempData["Done"] = text["Deletion requested. Send the text below through the platform's channel."].Value;
        await LoadAsync(editedCase, Requested?.Items.Select(i => i.Id).ToHashSet());
        await db.SaveChangesAsync(ct);
        return Page();
    }

    /// <summary>
    /// Records what a platform answered to a case-less request (a monitor report's link, no victim known), or that a
    /// manager checked the link by hand and found it gone.
    /// </summary>
    public async Task<IActionResult> OnPostCaselessOutcomeAsync(long itemId, ContentStatus? outcome)
    {
        var ct = HttpContext.RequestAborted;
        var me = CaseAccessHandler.StaffIdOf(User);
        var item = await db.ContentItems.AsNoTracking().Where(i => i.Id == itemId && i.CaseId == null).Select(i => new { i.Status }).SingleOrDefaultAsync(ct);
        if (item is not null && !CaseAccessHandler.MayRequestCaseless(User)) return StatusCode(StatusCodes.Status403Forbidden);
        if (me is null || item is null)
        {
            ModelState.AddModelError(string.Empty, work["This case-less link has no deletion request to answer."]);
        }
        else if (outcome is not (ContentStatus.Deleted or ContentStatus.Refused or ContentStatus.NoResponse or ContentStatus.VerifiedGone))
        {
            ModelState.AddModelError(string.Empty, text["Choose what the platform answered."]);
        }
        else
        {
            try
            {
                await ledger.RecordCaselessOutcomeAsync(itemId, outcome.Value, me.Value, ct);
                TempData["Done"] = work["{0}: {1}.", ContentLedger.CaselessReference(itemId), text[Shared.DeletionLabels.Of(outcome.Value)]].Value;
            }
            catch (DomainRuleException)
            {
                ModelState.AddModelError(string.Empty, work["This case-less link has no deletion request to answer."]);
            }
        }
        if (ModelState.IsValid)
        {
            await db.SaveChangesAsync(ct);
            return RedirectToPage();
        }
        db.ChangeTracker.Clear();
        await LoadAsync(null);
        await db.SaveChangesAsync(ct);
        return Page();
    }

    /// <summary>Reads the queue this user may see and logs one read per case shown (but the one just changed, logged as an edit).</summary>
    private async Task LoadAsync(long? editedCase, HashSet<long>? justRequested = null)
    {
        Now = clock.GetUtcNow();
        var items = await ledger.RequestQueueAsync(QueueLength, HttpContext.RequestAborted, CaseAccessHandler.DeletionQueueCompanionOf(User));
        Items = justRequested is null ? items : items.Where(i => !justRequested.Contains(i.ItemId)).ToList();
        CaselessAwaiting = CaseAccessHandler.MayRequestCaseless(User) ? await ledger.CaselessAwaitingAnswerAsync(QueueLength, HttpContext.RequestAborted) : [];
        var me = CaseAccessHandler.StaffIdOf(User);
        foreach (var shown in Items.Where(i => i.CaseId is not null && i.CaseId != editedCase).GroupBy(i => i.CaseId!.Value))
        {
            CaseAccessLog.Record(db, Now, me, CaseAccessHandler.ActorRoleOf(User, shown.First().AssignedCompanionId), shown.Key, AccessAction.View, What);
        }
    }

    /// <summary>How long a link has waited since it was found (or found again).</summary>
    public string Age(DateTimeOffset since) => WaitingTime.Text(Now - since, text);
}
