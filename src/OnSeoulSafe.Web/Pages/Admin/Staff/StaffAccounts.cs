using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Admin.Staff;

/// <summary>Rules and texts the staff-account pages share.</summary>
public static partial class StaffAccounts
{
    public static readonly IReadOnlyList<string> Languages = ["ko", "en"];

    /// <summary>Only an administrator may grant or take away the Admin role.</summary>
    public static bool MayGrant(ClaimsPrincipal actor, string role) => role != StaffRoles.Admin || actor.IsInRole(StaffRoles.Admin);

    /// <summary>A manager may not change an administrator's account (disable it, reset its second factor, change its roles).</summary>
    public static bool MayChange(ClaimsPrincipal actor, IEnumerable<string> rolesOfAccount) =>
        actor.IsInRole(StaffRoles.Admin) || !rolesOfAccount.Contains(StaffRoles.Admin);

    /// <summary>What a role opens, in English (the key of its Korean text).</summary>
    public static string RoleDescription(string role) => role switch
    {
        StaffRoles.Companion => "assigned cases and their service tracks",
        StaffRoles.Manager => "intake, assignment, dashboards, staff accounts",
        StaffRoles.Monitor => "reports of suspected content; no case",
        StaffRoles.Auditor => "the access log",
        StaffRoles.Admin => "staff accounts, partners and platforms; may grant Admin",
        _ => role,
    };

    /// <summary>The English text (the key of its Korean text) of a refused role change.</summary>
    public static string Rule(string code) => code switch
    {
        "staff.roles.self" => "Nobody can change their own roles. Ask another administrator.",
        "staff.roles.duties" => "An account that reads cases (Companion, Manager) cannot also be an Auditor: keep these duties apart.",
        _ => "The account could not be saved. Check the fields and try again.",
    };

    public static string LanguageLabel(string language) => PortalLocalization.LanguageName(language);

    /// <summary>Identity's answer as a field and a sentence in the page's language.</summary>
    public static (string Field, string Message) Describe(IdentityError error, IStringLocalizer<StaffText> text) => error.Code switch
    {
        "PasswordTooShort" => ("Input.Password", text["The password needs at least 12 characters."]),
        "CommonPassword" => ("Input.Password", text["This password is too common or easy to guess. Choose a longer phrase of unrelated words."]),
        _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => ("Input.Password", text["This password cannot be used. Choose another."]),
        "DuplicateEmail" or "DuplicateUserName" => ("Input.Email", text["An account with this e-mail already exists."]),
        "InvalidEmail" or "InvalidUserName" => ("Input.Email", text["Enter a valid e-mail address."]),
        _ => ("", text["The account could not be saved. Check the fields and try again."]),
    };

    /// <summary>Roles and languages as chosen on the forms.</summary>
    public sealed class ChoicesValidator : AbstractValidator<IStaffChoices>
    {
        public ChoicesValidator(IStringLocalizer<StaffText> text)
        {
            RuleFor(i => i.Roles).NotEmpty().WithMessage(text["Choose at least one role."])
                .Must(roles => roles.All(r => StaffRoles.All.Contains(r))).WithMessage(text["Choose roles from the list."]);
            RuleFor(i => i.Languages).NotEmpty().WithMessage(text["Choose at least one language."])
                .Must(languages => languages.All(l => StaffAccounts.Languages.Contains(l))).WithMessage(text["Choose languages from the list."]);
        }
    }

    public interface IStaffChoices
    {
        List<string> Roles { get; }
        List<string> Languages { get; }
    }

    // Who changed which account, by id only: the log holds no names or e-mail addresses.
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Staff account {StaffId}: {Change} by {ActorId}")]
    public static partial void Changed(ILogger logger, Guid staffId, string change, string? actorId);
}
