using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Status;

/// <summary>
/// Withdraw the case, or ask for the personal data to be destroyed: she confirms once, reads what goes and what
/// stays, and can cancel the request until two managers have approved it.
/// </summary>
public sealed class WithdrawModel(PortalDbContext db, VictimCase victimCase, TimeProvider clock, IStringLocalizer<StatusText> text) : PageModel
{
    public bool IsOpen { get; private set; }
    public ErasureRequest? Erasure { get; private set; }
    public bool IsErased { get; private set; }

    [BindProperty]
    public bool Confirm { get; set; }

    /// <summary>The one confirmation an erasure request asks for.</summary>
    [BindProperty]
    public bool ConfirmErasure { get; set; }

    public async Task OnGetAsync()
    {
        await LoadAsync();
        await victimCase.SaveViewAsync(HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostWithdrawAsync()
    {
        var @case = await LoadAsync();
        if (!Confirm || !IsOpen)
        {
            ModelState.AddModelError(nameof(Confirm), IsOpen ? text["Tick the box to confirm."] : text["This case is already closed."]);
            await victimCase.SaveViewAsync(HttpContext.RequestAborted);
            return Page();
        }
        @case.Withdraw(clock.GetUtcNow());
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Notice"] = text["Your case was withdrawn. You can report again at any time."].Value;
        return RedirectToPage("/Status/Case");
    }

    public async Task<IActionResult> OnPostEraseAsync()
    {
        var @case = await LoadAsync();
        var refusal = Erasure is { IsPending: true } ? text["You have already asked for your personal data to be destroyed. It is being handled, and you can still cancel it below."]
            : @case.ErasedAt is not null ? text["Your personal data has already been destroyed."]
            : !ConfirmErasure ? text["Tick the box to confirm."]
            : null;
        if (refusal is not null)
        {
            ModelState.AddModelError(nameof(ConfirmErasure), refusal);
            await victimCase.SaveViewAsync(HttpContext.RequestAborted);
            return Page();
        }
        var now = clock.GetUtcNow();
        db.ErasureRequests.Add(new ErasureRequest(@case.Id, now));
        @case.Record(TimelineEventKind.ErasureRequested, now, staffId: null);
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Notice"] = text["We received your request to destroy your personal data. Two managers check it; until they approve it, you can cancel it under “Withdraw or erase”."].Value;
        return RedirectToPage("/Status/Case");
    }

    /// <summary>She changed her mind: the request leaves the managers' queue and the timeline records the cancellation.</summary>
    public async Task<IActionResult> OnPostCancelErasureAsync()
    {
        var @case = await LoadAsync();
        var request = Erasure is { IsPending: true } pending ? await db.ErasureRequests.SingleAsync(e => e.Id == pending.Id, HttpContext.RequestAborted) : null;
        if (request is null)
        {
            ModelState.AddModelError(string.Empty, text["There is no request waiting to be cancelled."]);
            await victimCase.SaveViewAsync(HttpContext.RequestAborted);
            return Page();
        }
        @case.CancelErasure(request, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(HttpContext.RequestAborted);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A manager decided it at the same moment: show her what was decided.
            db.ChangeTracker.Clear();
            await LoadAsync();
            ModelState.AddModelError(string.Empty, text["Your request was decided just now, so it can no longer be cancelled. The result is shown below."]);
            await victimCase.SaveViewAsync(HttpContext.RequestAborted);
            return Page();
        }
        TempData["Notice"] = text["Your request was cancelled. Nothing was destroyed."].Value;
        return RedirectToPage("/Status/Case");
    }

    private async Task<Case> LoadAsync()
    {
        var @case = await victimCase.LoadAsync(q => q, "Status/Withdraw", HttpContext.RequestAborted);
        IsOpen = @case.IsOpen;
        IsErased = @case.ErasedAt is not null;
        Erasure = await db.ErasureRequests.AsNoTracking().Where(e => e.CaseId == @case.Id).OrderByDescending(e => e.RequestedAt).FirstOrDefaultAsync(HttpContext.RequestAborted);
        return @case;
    }
}
