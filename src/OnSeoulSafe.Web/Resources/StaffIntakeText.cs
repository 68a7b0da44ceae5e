namespace OnSeoulSafe.Web.Resources;

/// <summary>Texts of the staff intake of a report taken by phone or at the center (/intake/new). Korean in StaffIntakeText.ko.resx.</summary>
public sealed class StaffIntakeText;
