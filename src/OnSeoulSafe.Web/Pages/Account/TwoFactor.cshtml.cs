using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Account;

/// <summary>The second step of staff sign-in: a code from the authenticator app, or a one-time recovery code.</summary>
[SharedRateLimit(PortalRateLimits.TwoFactor)]
public sealed class TwoFactorModel(StaffSignInManager signIn, TimeProvider clock, IStringLocalizer<SharedText> text) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? RecoveryCode { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/Login") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return RedirectToPage("/Account/Login");
        var useRecovery = !string.IsNullOrWhiteSpace(RecoveryCode);
        if (!useRecovery && string.IsNullOrWhiteSpace(Code))
        {
            ModelState.AddModelError(nameof(Code), text["Enter the 6-digit code from your authenticator app."]);
            return Page();
        }
        var result = useRecovery
            ? await signIn.TwoFactorRecoveryCodeSignInAsync(RecoveryCode!.Replace(" ", "", StringComparison.Ordinal).Trim())
            : await signIn.TwoFactorAuthenticatorSignInAsync(Code!.Trim(), isPersistent: false, rememberClient: false);
        if (!result.Succeeded)
        {
            ModelState.AddModelError(string.Empty, text["Sign-in failed. Check your e-mail and password, or try again later."]);
            return Page();
        }
        // Sign in again to stamp the session's start (it ends after 12 hours whatever the activity).
        await signIn.SignInWithSecondFactorAsync(user, clock.GetUtcNow());
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/staff");
    }
}
