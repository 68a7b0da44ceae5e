using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Admin.Partners;

/// <summary>Partner institutions the centre refers victims to.</summary>
public sealed class IndexModel(PortalDbContext db, IStringLocalizer<PartnersText> text) : PageModel
{
    public IReadOnlyList<PartnerInstitution> Partners { get; private set; } = [];

    public async Task OnGetAsync() =>
        Partners = await db.PartnerInstitutions.AsNoTracking().OrderBy(p => p.Track).ThenBy(p => p.Name).ToListAsync(HttpContext.RequestAborted);

    /// <summary>Deactivating keeps past referrals intact; a deactivated partner just cannot be chosen any more.</summary>
    public async Task<IActionResult> OnPostActiveAsync(int? id, bool active)
    {
        var partner = id is null ? null : await db.PartnerInstitutions.SingleOrDefaultAsync(p => p.Id == id, HttpContext.RequestAborted);
        if (partner is null) return NotFound();
        partner.Update(partner.Name, partner.Track, partner.Contact, active);
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Done"] = (active ? text["{0} is active again.", partner.Name] : text["{0} is deactivated.", partner.Name]).Value;
        return RedirectToPage();
    }
}
