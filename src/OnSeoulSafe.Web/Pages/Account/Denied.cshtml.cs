using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.Web.Pages.Account;

public sealed class DeniedModel : PageModel
{
    public IActionResult OnGet()
    {
        // Signed in with the password only: the way forward is enrolling the second factor.
        if (User.Identity?.IsAuthenticated == true && !User.HasClaim(StaffSignInManager.MfaClaim, StaffSignInManager.MfaValue))
        {
            return RedirectToPage("/Account/Enrol");
        }
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }
}
