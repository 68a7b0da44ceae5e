using Microsoft.AspNetCore.Html;

namespace OnSeoulSafe.Web.Pages.Shared;

/// <summary>
/// Which help lines a victim is shown at once: everyone in danger gets 112 and 109; a child or teenager (under 19, as
/// Korean law counts 아동·청소년) also gets the youth line 1388. Numbers are <c>tel:</c> links, so a phone dials with one tap.
/// </summary>
public sealed record CrisisLines(bool SelfHarm, bool Minor)
{
    public static IHtmlContent Tel(string number) =>
        new HtmlString($"<a class=\"tel\" href=\"tel:{number}\">{number}</a>");

    /// <summary>A text-message line such as #1388: the phone's messages app opens addressed to it.</summary>
    public static IHtmlContent Sms(string number) =>
        new HtmlString($"<a class=\"tel\" href=\"sms:{Uri.EscapeDataString(number)}\">{number}</a>");
}
