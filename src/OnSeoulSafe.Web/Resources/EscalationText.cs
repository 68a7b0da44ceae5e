namespace OnSeoulSafe.Web.Resources;

/// <summary>Texts of the escalation ladder's staff page. Korean in EscalationText.ko.resx.</summary>
public sealed class EscalationText;
