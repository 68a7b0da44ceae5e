namespace OnSeoulSafe.Web.Resources;

/// <summary>Texts of the managers' erasure requests page. Korean in ErasureText.ko.resx.</summary>
public sealed class ErasureText;
