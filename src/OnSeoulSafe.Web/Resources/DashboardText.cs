namespace OnSeoulSafe.Web.Resources;

/// <summary>Texts of the managers' dashboard (Resources/DashboardText.ko.resx).</summary>
public sealed class DashboardText;
