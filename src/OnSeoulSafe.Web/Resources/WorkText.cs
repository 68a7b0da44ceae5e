namespace OnSeoulSafe.Web.Resources;

/// <summary>Marker for the WorkText resources: a center's daily work (handover of caseloads, search, phone intake).</summary>
public sealed class WorkText;
