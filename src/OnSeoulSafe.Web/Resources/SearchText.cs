namespace OnSeoulSafe.Web.Resources;

/// <summary>Texts of the case search and of deletion requests by platform. Korean in SearchText.ko.resx.</summary>
public sealed class SearchText;
