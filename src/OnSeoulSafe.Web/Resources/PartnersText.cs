namespace OnSeoulSafe.Web.Resources;

/// <summary>Marker for the PartnersText resources.</summary>
public sealed class PartnersText;
