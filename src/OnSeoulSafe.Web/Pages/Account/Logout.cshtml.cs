using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Pages.Account;

public sealed class LogoutModel(SignInManager<StaffMember> signIn) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Staff/Index");

    /// <summary>
    /// Renews the account's security stamp before removing the cookie, so the session ends on the server: a copy of
    /// the old cookie (another tab, a shared computer's cache) no longer opens staff pages.
    /// </summary>
    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.UserManager.GetUserAsync(User) is { } member) await signIn.UserManager.UpdateSecurityStampAsync(member);
        await signIn.SignOutAsync();
        return RedirectToPage("/Account/Login");
    }
}
