namespace OnSeoulSafe.Web.Resources;

/// <summary>Texts of the victim intake (/report). Korean in ReportText.ko.resx.</summary>
public sealed class ReportText;
