namespace OnSeoulSafe.Web.Resources;

/// <summary>Texts of the case file for the police or a court (the PDF and its page). Korean in CaseFileText.ko.resx.</summary>
public sealed class CaseFileText;
