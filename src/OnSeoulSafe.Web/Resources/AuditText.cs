namespace OnSeoulSafe.Web.Resources;

/// <summary>Marker for the AuditText resources.</summary>
public sealed class AuditText;
