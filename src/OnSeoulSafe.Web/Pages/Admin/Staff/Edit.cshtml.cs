using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Pages.Intake;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Admin.Staff;

/// <summary>
/// One staff account: roles and languages, disable/enable, reset of the second factor. Every change renews the
/// account's security stamp, so its open sessions end on their next request (StaffSessionValidator).
/// </summary>
public sealed class EditModel(UserManager<StaffMember> users, PortalDbContext db, TimeProvider clock, IStringLocalizer<StaffText> text, ILogger<EditModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty]
    public StaffChoicesInput Input { get; set; } = new();

    public StaffMember Member { get; private set; } = null!;

    public IReadOnlyList<string> CurrentRoles { get; private set; } = [];

    public bool IsSelf { get; private set; }

    /// <summary>The account still holds open cases and only a centre manager can hand them over.</summary>
    public bool HandoverNeeded { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await LoadAsync() is { } refused) return refused;
        Input = new StaffChoicesInput { Roles = [.. CurrentRoles], Languages = [.. Member.Languages] };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await LoadAsync() is { } refused) return refused;
        var valid = ModelState.AddErrors(new StaffAccounts.ChoicesValidator(text).Validate(Input));
        var wanted = Input.Roles.Distinct().ToList();
        var added = wanted.Except(CurrentRoles).ToList();
        var removed = CurrentRoles.Except(wanted).ToList();
        if (added.Concat(removed).Any(r => !StaffAccounts.MayGrant(User, r)))
        {
            ModelState.AddModelError("Input.Roles", text["Only an administrator can grant the Admin role."]);
            valid = false;
        }
        if (valid)
        {
            try
            {
                StaffRoles.EnsureMayChange(Guid.Parse(users.GetUserId(User)!), Member.Id, CurrentRoles, wanted);
            }
            catch (DomainRuleException refusal)
            {
                ModelState.AddModelError("Input.Roles", text[StaffAccounts.Rule(refusal.Rule)]);
                valid = false;
            }
        }
        if (!valid) return Page();

        if (removed.Count > 0) Check(await users.RemoveFromRolesAsync(Member, removed));
        if (added.Count > 0) Check(await users.AddToRolesAsync(Member, added));
        Member.Languages = [.. Input.Languages.Distinct()];
        if (added.Count + removed.Count > 0)
        {
            // Saved with the account by the update below: the grant and its log row commit together.
            StaffAccountLog.Record(db, clock, User, Member.Id, AccessAction.RolesChanged,
                string.Join(' ', added.Select(r => "+" + r).Concat(removed.Select(r => "-" + r))));
        }
        Check(await users.UpdateAsync(Member));
        StaffAccounts.Changed(logger, Member.Id, $"roles +[{string.Join(",", added)}] -[{string.Join(",", removed)}], languages [{string.Join(",", Member.Languages)}]", users.GetUserId(User));
        return Done(text["The account of {0} is saved.", Member.FullName]);
    }

    /// <summary>Disabling ends the person's sessions on their next request and stops every sign-in.</summary>
    public async Task<IActionResult> OnPostActiveAsync(bool active)
    {
        if (await LoadAsync() is { } refused) return refused;
        if (IsSelf && !active) return Forbid();
        if (!active && await CaseloadModel.HasOpenWorkAsync(db, Member.Id, HttpContext.RequestAborted))
        {
            // Disabling would orphan the person's cases: first say where they go.
            if (User.IsInRole(StaffRoles.Manager)) return RedirectToPage("/Intake/Caseload", new { staff = Member.Id });
            HandoverNeeded = true;
            Input = new StaffChoicesInput { Roles = [.. CurrentRoles], Languages = [.. Member.Languages] };
            return Page();
        }
        Member.IsActive = active;
        StaffAccountLog.Record(db, clock, User, Member.Id, active ? AccessAction.AccountEnabled : AccessAction.AccountDisabled, "/Admin/Staff/Edit");
        Check(await users.UpdateAsync(Member));
        Check(await users.UpdateSecurityStampAsync(Member));
        StaffAccounts.Changed(logger, Member.Id, active ? "enabled" : "disabled", users.GetUserId(User));
        return Done(active ? text["{0} can sign in again.", Member.FullName] : text["{0} is disabled and signed out.", Member.FullName]);
    }

    /// <summary>A lost or compromised authenticator: the person enrols a new one at their next sign-in.</summary>
    public async Task<IActionResult> OnPostResetTwoFactorAsync()
    {
        if (await LoadAsync() is { } refused) return refused;
        StaffAccountLog.Record(db, clock, User, Member.Id, AccessAction.TwoFactorReset, "/Admin/Staff/Edit");
        Check(await users.SetTwoFactorEnabledAsync(Member, false));
        // A new key renews the security stamp: sessions opened with the old authenticator end too.
        Check(await users.ResetAuthenticatorKeyAsync(Member));
        StaffAccounts.Changed(logger, Member.Id, "two-factor reset", users.GetUserId(User));
        return Done(text["Two-factor sign-in of {0} is reset: they set it up again at their next sign-in.", Member.FullName]);
    }

    private async Task<IActionResult?> LoadAsync()
    {
        var member = await users.FindByIdAsync(Id.ToString());
        if (member is null) return NotFound();
        Member = member;
        CurrentRoles = [.. await users.GetRolesAsync(member)];
        IsSelf = users.GetUserId(User) == member.Id.ToString();
        return StaffAccounts.MayChange(User, CurrentRoles) ? null : Forbid();
    }

    private RedirectToPageResult Done(LocalizedString message)
    {
        TempData["Done"] = message.Value;
        return RedirectToPage("/Admin/Staff/Index");
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException("The staff account could not be saved: " + string.Join(", ", result.Errors.Select(e => e.Code)));
    }

    public sealed record StaffChoicesInput : StaffAccounts.IStaffChoices
    {
        public List<string> Roles { get; set; } = [];
        public List<string> Languages { get; set; } = [];
    }
}
