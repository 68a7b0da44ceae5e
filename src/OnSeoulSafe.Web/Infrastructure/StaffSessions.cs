using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>A disabled account cannot sign in.</summary>
public sealed class StaffSignInManager(
    UserManager<StaffMember> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<StaffMember> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<StaffMember>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<StaffMember> confirmation)
    : SignInManager<StaffMember>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public const string MfaClaim = "amr";
    public const string MfaValue = "mfa";
    public const string SignedInAtClaim = "signed_in_at";

    /// <summary>Sessions end after this long whatever the activity.</summary>
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(12);

    public override async Task<bool> CanSignInAsync(StaffMember user) => user.IsActive && await base.CanSignInAsync(user);

    /// <summary>Signs in after a second factor, marking the session as such (every staff policy requires it).</summary>
    public async Task SignInWithSecondFactorAsync(StaffMember user, DateTimeOffset now)
    {
        // Assignment suggestions put accounts nobody has signed in with last.
        user.LastSignInAt = now;
        await UserManager.UpdateAsync(user);
        await SignInWithClaimsAsync(user, isPersistent: false, [new Claim(MfaClaim, MfaValue), SignedAt(now)]);
        await AuditAsync(user, AccessAction.SignedIn, "/Account/TwoFactor");
    }

    /// <summary>Every refused password (an unknown e-mail included, with no account named) goes into the sealed log.</summary>
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            await AuditAsync(null, AccessAction.SignInFailed, "/Account/Login");
            return SignInResult.Failed;
        }
        var result = await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        if (!result.Succeeded && !result.RequiresTwoFactor) await AuditAsync(user, AccessAction.SignInFailed, result.IsLockedOut ? "/Account/Login#locked" : "/Account/Login");
        return result;
    }

    /// <summary>A wrong second-factor code is a failed sign-in of that account.</summary>
    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        if (!result.Succeeded && user is not null) await AuditAsync(user, AccessAction.SignInFailed, "/Account/TwoFactor");
        return result;
    }

    private async Task AuditAsync(StaffMember? user, AccessAction action, string what)
    {
        var services = Context.RequestServices;
        var entry = new AccessLogEntry(services.GetRequiredService<TimeProvider>().GetUtcNow(), user?.Id, StaffAccountLog.AccountRole, null, action, what, null, user?.Id);
        await CaseAccessLog.WriteAsync(services.GetRequiredService<PortalDbContext>(), entry, CancellationToken.None);
    }

    public static Claim SignedAt(DateTimeOffset now) =>
        new(SignedInAtClaim, now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>
/// Runs on every staff request with one small query: the account must still exist, be active and carry the same
/// security stamp (roles unchanged, password unchanged, not signed out elsewhere), and the session must be younger
/// than its absolute lifetime. Otherwise the session ends there. Nothing is remembered between requests, so a session
/// ended on one portal instance ends on every other at once.
/// </summary>
public sealed class StaffSessionValidator(PortalDbContext db, IOptions<IdentityOptions> identity, TimeProvider clock) : ISecurityStampValidator
{
    /// <summary>
    /// One plain statement (prepared by Npgsql's automatic preparation) rather than a LINQ query: it runs on every staff
    /// request, and EF Core's query pipeline (cache lookup by expression tree, parameter extraction, shaper) cost more
    /// than the round trip's own work.
    /// </summary>
    private const string AccountSql = """SELECT "SecurityStamp", "IsActive" FROM "AspNetUsers" WHERE "Id" = @id""";

    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var signedAt = principal?.FindFirstValue(StaffSignInManager.SignedInAtClaim);
        var expired = signedAt is not null && long.TryParse(signedAt, out var seconds)
            && clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) > StaffSignInManager.AbsoluteLifetime;
        var id = principal?.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType);
        var stamp = principal?.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        var current = !expired && Guid.TryParse(id, out var userId)
            && await IsCurrentAsync(userId, stamp, context.HttpContext.RequestAborted);
        if (!current)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }

    /// <summary>The account exists, is active and still carries the session's security stamp.</summary>
    private async Task<bool> IsCurrentAsync(Guid userId, string? stamp, CancellationToken cancellationToken)
    {
        var database = db.Database;
        var wasOpen = database.GetDbConnection().State == System.Data.ConnectionState.Open;
        try
        {
            await using var command = await database.CommandAsync(AccountSql, cancellationToken);
            command.Parameters.Add(new NpgsqlParameter<Guid>("id", userId));
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                && (reader.IsDBNull(0) ? null : reader.GetString(0)) == stamp
                && reader.GetBoolean(1);
        }
        finally
        {
            if (!wasOpen) await database.CloseConnectionAsync();
        }
    }
}

/// <summary>Role changes renew the security stamp, which ends the account's open sessions.</summary>
public sealed class StaffUserManager(
    IUserStore<StaffMember> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<StaffMember> passwordHasher,
    IEnumerable<IUserValidator<StaffMember>> userValidators,
    IEnumerable<IPasswordValidator<StaffMember>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<StaffMember>> logger)
    : UserManager<StaffMember>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> AddToRoleAsync(StaffMember user, string role) =>
        await Renewed(user, await base.AddToRoleAsync(user, role));

    public override async Task<IdentityResult> AddToRolesAsync(StaffMember user, IEnumerable<string> roles) =>
        await Renewed(user, await base.AddToRolesAsync(user, roles));

    public override async Task<IdentityResult> RemoveFromRoleAsync(StaffMember user, string role) =>
        await Renewed(user, await base.RemoveFromRoleAsync(user, role));

    public override async Task<IdentityResult> RemoveFromRolesAsync(StaffMember user, IEnumerable<string> roles) =>
        await Renewed(user, await base.RemoveFromRolesAsync(user, roles));

    private async Task<IdentityResult> Renewed(StaffMember user, IdentityResult result) =>
        result.Succeeded ? await UpdateSecurityStampAsync(user) : result;
}

/// <summary>Staff-account changes in the sealed access log, with who made them and whose account they concern.</summary>
public static class StaffAccountLog
{
    /// <summary>Actor role of sign-in rows: the account acting for itself.</summary>
    public const string AccountRole = "Staff";

    /// <summary>Adds the row to the context: the caller's next save (the account change itself) commits it.</summary>
    public static void Record(PortalDbContext db, TimeProvider clock, ClaimsPrincipal actor, Guid subjectId, AccessAction action, string what)
    {
        var actorId = Guid.TryParse(actor.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : (Guid?)null;
        var role = actor.IsInRole(StaffRoles.Admin) ? StaffRoles.Admin : StaffRoles.Manager;
        CaseAccessLog.Record(db, clock.GetUtcNow(), actorId, role, caseId: null, action, what, reason: null, subjectStaffId: subjectId);
    }
}
