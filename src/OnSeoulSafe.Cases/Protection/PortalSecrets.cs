namespace OnSeoulSafe.Cases.Protection;

/// <summary>
/// Keys kept outside the database (configuration section <c>Portal:Secrets</c>, usually environment variables).
/// </summary>
public sealed class PortalSecrets
{
    public const string Section = "Portal:Secrets";

    /// <summary>Base64 key (≥ 32 bytes) from which the access-code and URL-fingerprint HMAC keys are derived.</summary>
    public string HmacKey { get; set; } = "";

    /// <summary>Field-encryption keys by id, each base64 of 32 bytes. Old keys stay to read old rows.</summary>
    public Dictionary<string, string> EncryptionKeys { get; set; } = [];

    /// <summary>
    /// Base64 key (≥ 32 bytes) of the access log's seal chain and its checkpoints. When empty it is derived from
    /// <see cref="HmacKey"/>; either way the database never holds it, so whoever owns the tables cannot recompute seals.
    /// </summary>
    public string SealKey { get; set; } = "";

    /// <summary>The id of the key new rows are written with.</summary>
    public int ActiveEncryptionKey { get; set; }
}
