namespace OnSeoulSafe.Web.Resources;

/// <summary>Marker for the StaffText resources (staff accounts).</summary>
public sealed class StaffText;
