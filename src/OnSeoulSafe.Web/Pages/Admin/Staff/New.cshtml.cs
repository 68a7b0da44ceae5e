using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Admin.Staff;

/// <summary>
/// Creates a staff account with an initial password (checked by every Identity password validator, the common-password
/// list included). The person enrols their authenticator app at the first sign-in.
/// </summary>
public sealed class NewModel(UserManager<StaffMember> users, PortalDbContext db, TimeProvider clock, IStringLocalizer<StaffText> text, IValidator<NewModel.NewStaffInput> validator, ILogger<NewModel> logger) : PageModel
{
    [BindProperty]
    public NewStaffInput Input { get; set; } = new();

    public void OnGet() => Input = new NewStaffInput { Languages = ["ko"] };

    public async Task<IActionResult> OnPostAsync()
    {
        var valid = ModelState.AddErrors(validator.Validate(Input));
        if (Input.Roles.Any(r => !StaffAccounts.MayGrant(User, r)))
        {
            ModelState.AddModelError("Input.Roles", text["Only an administrator can grant the Admin role."]);
            valid = false;
        }
        if (!StaffRoles.KeepDutiesApart(Input.Roles))
        {
            ModelState.AddModelError("Input.Roles", text[StaffAccounts.Rule("staff.roles.duties")]);
            valid = false;
        }
        if (!valid) return Page();

        var email = Input.Email!.Trim();
        var member = new StaffMember
        {
            UserName = email,
            Email = email,
            FirstName = Input.FirstName!.Trim(),
            FullName = Input.FullName!.Trim(),
            Languages = [.. Input.Languages.Distinct()],
            IsActive = true,
            CreatedAt = clock.GetUtcNow(),
        };
        var created = await users.CreateAsync(member, Input.Password ?? "");
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors)
            {
                var (field, message) = StaffAccounts.Describe(error, text);
                ModelState.AddModelError(field, message);
            }
            return Page();
        }
        // Saved with the roles below: the new account and its log row commit together.
        StaffAccountLog.Record(db, clock, User, member.Id, AccessAction.AccountCreated, string.Join(' ', Input.Roles.Distinct().Select(r => "+" + r)));
        var roles = await users.AddToRolesAsync(member, Input.Roles.Distinct());
        if (!roles.Succeeded) throw new InvalidOperationException("The new account's roles could not be saved.");
        StaffAccounts.Changed(logger, member.Id, "created with roles " + string.Join(",", Input.Roles.Distinct()), users.GetUserId(User));
        TempData["Done"] = text["The account for {0} is created. They set up two-factor sign-in at their first sign-in.", member.FullName].Value;
        return RedirectToPage("/Admin/Staff/Index");
    }

    public sealed record NewStaffInput : StaffAccounts.IStaffChoices
    {
        public string? Email { get; set; }
        public string? FirstName { get; set; }
        public string? FullName { get; set; }
        public List<string> Roles { get; set; } = [];
        public List<string> Languages { get; set; } = [];
        public string? Password { get; set; }
    }

    /// <summary>From the services, so FluentValidation's client adapters also write its rules into the form.</summary>
    public sealed class Validator : AbstractValidator<NewStaffInput>
    {
        public Validator(IStringLocalizer<StaffText> text)
        {
            RuleFor(i => i.Email).NotEmpty().WithMessage(text["Enter the e-mail address."])
                .MaximumLength(256).WithMessage(text["An e-mail address can be at most 256 characters."])
                .EmailAddress().WithMessage(text["Enter a valid e-mail address."]);
            RuleFor(i => i.FirstName).NotEmpty().WithMessage(text["Enter the first name victims will see."])
                .MaximumLength(100).WithMessage(text["A first name can be at most 100 characters."]);
            RuleFor(i => i.FullName).NotEmpty().WithMessage(text["Enter the full name."])
                .MaximumLength(200).WithMessage(text["A full name can be at most 200 characters."]);
            RuleFor(i => i.Password).NotEmpty().WithMessage(text["Enter an initial password."])
                .MaximumLength(256).WithMessage(text["A password can be at most 256 characters."]);
            Include(new StaffAccounts.ChoicesValidator(text));
        }
    }
}
