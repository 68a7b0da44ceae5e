namespace OnSeoulSafe.Web.Resources;

/// <summary>Texts of monitoring: the sources managers set up. Korean in MonitoringText.ko.resx.</summary>
public sealed class MonitoringText;
