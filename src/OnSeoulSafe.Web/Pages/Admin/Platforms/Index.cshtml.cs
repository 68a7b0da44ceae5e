using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Pages.Admin.Platforms;

public sealed class IndexModel(PortalDbContext db) : PageModel
{
    public IReadOnlyList<Platform> Platforms { get; private set; } = [];

    public async Task OnGetAsync() =>
        Platforms = await db.Platforms.AsNoTracking().OrderByDescending(p => p.IsActive).ThenBy(p => p.Name).ToListAsync(HttpContext.RequestAborted);
}
