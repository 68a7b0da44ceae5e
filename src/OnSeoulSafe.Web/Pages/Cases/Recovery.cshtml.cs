using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>
/// A victim asked for a new access code. The companion (or a manager with access) reaches her through the safe contact
/// she chose, hears her safe word and the request's confirmation number, and only then approves; the old code stops
/// working at once, and she collects the new one herself with the pickup code only she was shown. Nobody here sees
/// a code. Access and its log row come from the case access filter, like every case page.
/// </summary>
public sealed class RecoveryModel(PortalDbContext db, CaseAccessContext access, TimeProvider clock, IStringLocalizer<CasesText> text) : PageModel
{
    public Case Case { get; private set; } = null!;
    public IReadOnlyList<CodeRecovery> Waiting { get; private set; } = [];
    public SafeContactPanel SafeContact { get; private set; } = null!;

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostApproveAsync(long request) =>
        DecideAsync(request, (r, c, now) => r.Approve(c, access.StaffId, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), now),
            text["Approved. Her old code no longer works; she can now collect a new code with her pickup code."].Value);

    public Task<IActionResult> OnPostDeclineAsync(long request) =>
        DecideAsync(request, (r, c, now) => r.Decline(c, access.StaffId, now), text["Declined. Nothing about the case changed."].Value);

    private async Task<IActionResult> DecideAsync(long request, Action<CodeRecovery, Case, DateTimeOffset> decide, string done)
    {
        await LoadAsync();
        var recovery = Waiting.FirstOrDefault(r => r.Id == request);
        if (recovery is null)
        {
            ModelState.AddModelError(string.Empty, text["This request is no longer waiting: it was decided already or has lapsed."]);
            return Page();
        }
        decide(recovery, Case, clock.GetUtcNow());
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Done"] = done;
        return RedirectToPage("/Cases/File", new { reference = access.Reference.ToLowerInvariant() });
    }

    private async Task LoadAsync()
    {
        var now = clock.GetUtcNow();
        var since = now - CodeRecovery.RequestLifetime;
        Case = await db.Cases.SingleAsync(c => c.Id == access.CaseId, HttpContext.RequestAborted);
        Waiting = await db.CodeRecoveries
            .Where(r => r.CaseId == access.CaseId && r.Status == CodeRecoveryStatus.Requested && r.RequestedAt > since)
            .OrderBy(r => r.RequestedAt)
            .ToListAsync(HttpContext.RequestAborted);
        SafeContact = new SafeContactPanel(Case.SafeContact, now);
    }
}
