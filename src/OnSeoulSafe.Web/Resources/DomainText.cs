namespace OnSeoulSafe.Web.Resources;

/// <summary>Names of domain values (crime types, statuses, tracks ...) in both languages. Korean in DomainText.ko.resx.</summary>
public sealed class DomainText;
