using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Pages.Staff;

public sealed class IndexModel(UserManager<StaffMember> users) : PageModel
{
    public string FirstName { get; private set; } = "";
    public IReadOnlyList<string> Roles { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var me = await users.GetUserAsync(User);
        FirstName = me?.FirstName ?? "";
        Roles = StaffRoles.All.Where(User.IsInRole).ToList();
    }
}
