using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Status;

/// <summary>
/// A lost code, without a new report and without opening the case to whoever asks. Asking (the reference alone) opens
/// nothing: it shows a four-digit confirmation number and a pickup code, and puts the request on the companion's case
/// file. The companion reaches the victim through the safe contact she chose, hears her safe word and the confirmation
/// number, and approves (the old code stops working then). The holder of the pickup code then collects a new code here,
/// once. An unknown reference gets the same answer after the same work, so asking says nothing about which exist.
/// </summary>
[SharedRateLimit(PortalRateLimits.AccessCode)]
public sealed class RecoverModel(PortalDbContext db, Fingerprints fingerprints, TimeProvider clock, IStringLocalizer<StatusText> text) : PageModel
{
    private static readonly byte[] NoRequest = new byte[32];

    [BindProperty]
    public string? Reference { get; set; }

    [BindProperty]
    public string? PickupCode { get; set; }

    /// <summary>Shown once after asking: what she reads back to the companion, and what she collects with.</summary>
    public (string ConfirmationNumber, string PickupCode)? Asked { get; private set; }

    /// <summary>Shown once after collecting.</summary>
    public string? NewCode { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAskAsync()
    {
        if (ReadReference(nameof(Reference)) is not { } reference) return Page();
        var now = clock.GetUtcNow();
        var caseId = await db.Cases.Where(c => c.Reference == reference).Select(c => (long?)c.Id).SingleOrDefaultAsync(HttpContext.RequestAborted);
        var confirmation = RandomNumberGenerator.GetInt32(0, 10_000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        var pickup = AccessCode.Generate();
        db.CodeRecoveries.Add(new CodeRecovery(caseId, confirmation, fingerprints.RecoveryPickup(reference, pickup), now));
        if (caseId is { } id)
        {
            CaseAccessLog.RecordVictim(db, now, id, AccessAction.Edit, "Status/Recover#Ask");
        }
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        Asked = (confirmation, AccessCode.Format(pickup));
        ModelState.Clear();
        return Page();
    }

    public async Task<IActionResult> OnPostCollectAsync()
    {
        if (ReadReference("Collect" + nameof(Reference)) is not { } reference) return Page();
        var code = AccessCode.Normalise(PickupCode);
        var now = clock.GetUtcNow();
        var collectable = now - CodeRecovery.PickupWindow;
        var @case = await db.Cases.Where(c => c.Reference == reference).SingleOrDefaultAsync(HttpContext.RequestAborted);
        var approved = @case is null ? [] : await db.CodeRecoveries
            .Where(r => r.CaseId == @case.Id && r.Status == CodeRecoveryStatus.Approved && r.DecidedAt > collectable)
            .ToListAsync(HttpContext.RequestAborted);
        // Every candidate is compared, and one comparison is made when there is none, so the time says nothing either.
        CodeRecovery? match = null;
        foreach (var hash in approved.Select(r => r.PickupHash).DefaultIfEmpty(NoRequest))
        {
            if (fingerprints.RecoveryPickupMatches(reference, code ?? "", hash)) match = approved.First(r => r.PickupHash == hash);
        }
        if (@case is null || code is null || match is null)
        {
            ModelState.AddModelError(nameof(PickupCode), text["We cannot give a new code for this case number and pickup code. Check both. If they are right, your companion may not have confirmed your request yet: please try again after they have contacted you."]);
            PickupCode = null;
            return Page();
        }
        var newCode = AccessCode.Generate();
        match.Collect(@case, fingerprints.AccessCode(@case.Reference, newCode), now);
        CaseAccessLog.RecordVictim(db, now, @case.Id, AccessAction.Edit, "Status/Recover#Collect");
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        NewCode = AccessCode.Format(newCode);
        Reference = @case.Reference;
        PickupCode = null;
        ModelState.Clear();
        return Page();
    }

    private string? ReadReference(string field)
    {
        var (reference, error) = TypedReference.Read(Reference, text);
        if (reference is null) ModelState.AddModelError(field, error!);
        return reference;
    }
}
