using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Account;

[SharedRateLimit(PortalRateLimits.SignIn)]
public sealed class LoginModel(SignInManager<StaffMember> signIn, IStringLocalizer<SharedText> text) : PageModel
{
    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.AddErrors(new LoginValidator(text).Validate(Input)))
        {
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(Input.Email.Trim(), Input.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/Account/TwoFactor", new { ReturnUrl });
        }
        if (result.Succeeded)
        {
            // The password alone opens nothing but the enrolment of a second factor.
            return RedirectToPage("/Account/Enrol");
        }
        // One answer for unknown account, wrong password, locked or disabled: it tells an attacker nothing.
        ModelState.AddModelError(string.Empty, text["Sign-in failed. Check your e-mail and password, or try again later."]);
        return Page();
    }

    public sealed record LoginInput
    {
        [DataType(DataType.EmailAddress)]
        public string Email { get; set; } = "";

        [DataType(DataType.Password)]
        public string Password { get; set; } = "";
    }

    private sealed class LoginValidator : AbstractValidator<LoginInput>
    {
        public LoginValidator(IStringLocalizer<SharedText> text)
        {
            RuleFor(i => i.Email).NotEmpty().WithMessage(text["Enter your e-mail."]).MaximumLength(256);
            RuleFor(i => i.Password).NotEmpty().WithMessage(text["Enter your password."]).MaximumLength(256);
        }
    }
}
