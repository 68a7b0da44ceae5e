using Microsoft.AspNetCore.Identity;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Length, not composition rules, plus a block list (NIST SP 800-63B): refuses a password that is on the list of
/// common and breached passwords shipped with the portal (Resources/common-passwords.txt), one that is such a
/// password padded with digits or symbols to reach the length ("password2026!"), and one that contains the
/// account's own e-mail name.
/// </summary>
public sealed class CommonPasswords : IPasswordValidator<StaffMember>
{
    private static readonly Lazy<HashSet<string>> Listed = new(Load);

    public Task<IdentityResult> ValidateAsync(UserManager<StaffMember> manager, StaffMember user, string? password)
    {
        var candidate = (password ?? "").Trim().ToLowerInvariant();
        var core = candidate.Trim("0123456789!@#$%^&*()-_=+.,?~ ".ToCharArray());
        var mailbox = (user.Email ?? user.UserName ?? "").Split('@')[0].ToLowerInvariant();
        var guessable = Listed.Value.Contains(candidate)
            || (core.Length > 0 && Listed.Value.Contains(core))
            || (mailbox.Length > 0 && candidate.Contains(mailbox, StringComparison.Ordinal));
        return Task.FromResult(guessable
            ? IdentityResult.Failed(new IdentityError { Code = "CommonPassword", Description = "This password is too common or easy to guess." })
            : IdentityResult.Success);
    }

    private static HashSet<string> Load()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream("OnSeoulSafe.Web.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is missing from the build.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#')) set.Add(line.Trim());
        }
        return set;
    }
}
