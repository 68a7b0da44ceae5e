using Microsoft.AspNetCore.Identity;

namespace OnSeoulSafe.Cases.Domain;

/// <summary>A staff account. Victims never have one.</summary>
public sealed class StaffMember : IdentityUser<Guid>
{
    /// <summary>Shown to victims ("your companion, Jiyoung"), never the account name.</summary>
    public string FirstName { get; set; } = "";

    public string FullName { get; set; } = "";

    /// <summary>Languages the staff member works in, e.g. "ko", "en".</summary>
    public List<string> Languages { get; set; } = ["ko"];

    public bool IsActive { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the person last completed a sign-in with the second factor; null for an account never used.</summary>
    public DateTimeOffset? LastSignInAt { get; set; }
}
