namespace OnSeoulSafe.Web.Resources;

/// <summary>Texts of deletion support: monitor reports, their triage, platforms, hash-only evidence. Korean in DeletionText.ko.resx.</summary>
public sealed class DeletionText;
