namespace OnSeoulSafe.Web.Resources;

/// <summary>Marker for the FieldProtectionText resources: what staff are told when a protected field is refused.</summary>
public sealed class FieldProtectionText;
