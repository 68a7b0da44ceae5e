namespace OnSeoulSafe.Web.Resources;

/// <summary>Texts of the companion's review of copies monitoring found. Korean in MatchReviewText.ko.resx.</summary>
public sealed class MatchReviewText;
