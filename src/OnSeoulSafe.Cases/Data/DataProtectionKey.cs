namespace OnSeoulSafe.Cases.Data;

/// <summary>
/// One key of the portal's Data Protection key ring (cookies, antiforgery tokens, TempData), shared by every
/// instance through the database. <see cref="Xml"/> holds the key already encrypted with the field-encryption key
/// ring, which lives in configuration, never in the database.
/// </summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }

    public string FriendlyName { get; set; } = "";

    public string Xml { get; set; } = "";
}
