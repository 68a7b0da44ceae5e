namespace OnSeoulSafe.Web.Resources;

/// <summary>Texts shared by every page (layouts, buttons, errors). Korean in SharedText.ko.resx.</summary>
public sealed class SharedText;
