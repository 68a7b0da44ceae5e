using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;

namespace OnSeoulSafe.Web.Pages.Admin.Staff;

/// <summary>Every staff account, with its roles and whether it can sign in.</summary>
public sealed class IndexModel(PortalDbContext db) : PageModel
{
    public IReadOnlyList<StaffRow> Staff { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var roles = await db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var members = await db.Users.AsNoTracking().OrderBy(u => u.FullName).ThenBy(u => u.Email).ToListAsync(cancellationToken);
        Staff = members.Select(m => new StaffRow(
            m.Id, m.FullName, m.Email ?? "", [.. roles.Where(r => r.UserId == m.Id).Select(r => r.Name!).Order(StringComparer.Ordinal)],
            m.Languages, m.IsActive, m.TwoFactorEnabled)).ToList();
    }

    public sealed record StaffRow(Guid Id, string FullName, string Email, IReadOnlyList<string> Roles, IReadOnlyList<string> Languages, bool IsActive, bool Enrolled);
}
