using System.Security.Cryptography;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>Keys generated per test process: nothing secret is committed, nothing is reused across runs.</summary>
public static class TestSecrets
{
    public static readonly string HmacKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string EncryptionKey1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static readonly string PortalLoginPassword = RandomNumberGenerator.GetHexString(24, lowercase: true);

    public static readonly FieldCipher Cipher = new(new Dictionary<int, byte[]> { [1] = Convert.FromBase64String(EncryptionKey1) }, 1);

    public static readonly Fingerprints Fingerprints = new(Convert.FromBase64String(HmacKey));

    /// <summary>
    /// The portal connects as its own login role and is never given the owner's connection string
    /// (<paramref name="ownerConnectionString"/> migrates the template database, in the test process itself).
    /// </summary>
    public static Dictionary<string, string?> Configuration(string ownerConnectionString) => new()
    {
        ["ConnectionStrings:Portal"] = ownerConnectionString.Length == 0 ? "" : PortalDatabaseTemplate.PortalConnectionString(ownerConnectionString),
        // Background sealing off: tests seal on demand with a clock they control.
        ["Portal:Audit:SealInterval"] = "00:00:00",
        ["Portal:Retention:Enabled"] = "false",
        ["Portal:Secrets:HmacKey"] = HmacKey,
        ["Portal:Secrets:EncryptionKeys:1"] = EncryptionKey1,
        ["Portal:Secrets:ActiveEncryptionKey"] = "1",
        // Every test client shares one address; RateLimitTests set real limits.
        ["Portal:RateLimits:AccessCodePerMinute"] = "100000",
        ["Portal:RateLimits:AccessCodeGlobalPerMinute"] = "100000",
        ["Portal:RateLimits:AccessCodePerReferencePerMinute"] = "100000",
        ["Portal:RateLimits:IntakePerMinute"] = "100000",
        ["Portal:RateLimits:IntakePerKeyPerMinute"] = "100000",
        ["Portal:RateLimits:IntakeGlobalPerMinute"] = "100000",
        ["Portal:RateLimits:SignInPerMinute"] = "100000",
        ["Portal:RateLimits:TwoFactorPerMinute"] = "100000",
        ["Portal:RateLimits:ExportsPerMinute"] = "100000",
    };
}
