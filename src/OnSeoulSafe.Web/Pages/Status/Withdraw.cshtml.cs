using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Status;

/// <summary>Withdraw the case, or ask for the data to be erased (two managers approve before anything is removed).</summary>
public sealed class WithdrawModel(PortalDbContext db, VictimCase victimCase, TimeProvider clock, IStringLocalizer<StatusText> text) : PageModel
{
    public bool IsOpen { get; private set; }
    public ErasureRequest? Erasure { get; private set; }

    [BindProperty]
    public bool Confirm { get; set; }

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
        if (Erasure is { Status: ErasureStatus.Requested or ErasureStatus.FirstApproval })
        {
            ModelState.AddModelError(string.Empty, text["You have already asked for erasure. It is being handled."]);
            await victimCase.SaveViewAsync(HttpContext.RequestAborted);
            return Page();
        }
        var now = clock.GetUtcNow();
        db.ErasureRequests.Add(new ErasureRequest(@case.Id, now));
        @case.Record(TimelineEventKind.ErasureRequested, now, staffId: null);
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Notice"] = text["Your request to erase your data was received. Two managers review it; you will see the result here."].Value;
        return RedirectToPage("/Status/Case");
    }

    private async Task<Case> LoadAsync()
    {
        var @case = await victimCase.LoadAsync(q => q, "Status/Withdraw", HttpContext.RequestAborted);
        IsOpen = @case.IsOpen;
        Erasure = await db.ErasureRequests.AsNoTracking().Where(e => e.CaseId == @case.Id).OrderByDescending(e => e.RequestedAt).FirstOrDefaultAsync(HttpContext.RequestAborted);
        return @case;
    }
}
