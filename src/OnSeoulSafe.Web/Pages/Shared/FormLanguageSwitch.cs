namespace OnSeoulSafe.Web.Pages.Shared;

/// <summary>
/// Set in ViewData (<see cref="Key"/>) by a page whose form must survive a change of language: the header's switch
/// then posts that form (<paramref name="FormId"/>) to <paramref name="Action"/>, which shows it again in the chosen
/// language with everything typed. <paramref name="DefaultLabel"/> names the form's usual button, which must stay
/// the one Enter presses although the header comes first in the page.
/// </summary>
public sealed record FormLanguageSwitch(string FormId, string Action, string DefaultLabel)
{
    public const string Key = "FormLanguageSwitch";

    /// <summary>No switch: the page shows something once that a reload would lose.</summary>
    public static readonly FormLanguageSwitch Off = new("", "", "");
}
