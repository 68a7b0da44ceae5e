namespace OnSeoulSafe.Web.Resources;

/// <summary>Texts of the victim's status pages (/status). Korean in StatusText.ko.resx.</summary>
public sealed class StatusText;
