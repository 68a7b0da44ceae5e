using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.Web.Pages;

/// <summary>Switches between Korean and English and returns to the same page.</summary>
public sealed class LanguageModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        PortalLocalization.Remember(Response, culture);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? AsciiOnly(returnUrl) : "/");
    }

    /// <summary>
    /// A header carries ASCII only: a local address typed with Hangul or control characters (a path or query the
    /// browser sent percent-encoded and the page wrote back decoded) is percent-encoded again, rune by rune.
    /// </summary>
    public static string AsciiOnly(string url)
    {
        var builder = new System.Text.StringBuilder(url.Length);
        foreach (var rune in url.EnumerateRunes())
        {
            if (rune.IsAscii && !System.Text.Rune.IsControl(rune)) builder.Append((char)rune.Value);
            else builder.Append(Uri.EscapeDataString(rune.ToString()));
        }
        return builder.ToString();
    }
}
