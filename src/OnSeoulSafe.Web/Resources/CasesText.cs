namespace OnSeoulSafe.Web.Resources;

/// <summary>Marker for the CasesText resources.</summary>
public sealed class CasesText;
