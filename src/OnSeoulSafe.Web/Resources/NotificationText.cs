namespace OnSeoulSafe.Web.Resources;

/// <summary>Texts about notices to people and about minors' guardians. Korean in NotificationText.ko.resx.</summary>
public sealed class NotificationText;
