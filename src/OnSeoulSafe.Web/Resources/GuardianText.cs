namespace OnSeoulSafe.Web.Resources;

/// <summary>Texts about minors' guardians and the center's practice for minors. Korean in GuardianText.ko.resx.</summary>
public sealed class GuardianText;
