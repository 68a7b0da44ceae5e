using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages;

/// <summary>A calm error page: never a stack trace, never anything from the request.</summary>
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
// Re-executed for failed POSTs too, whose form may be the very thing that could not be read (too long, or its token
// refused): checking a token here again would fail the same way and leave the browser a bare status page.
[IgnoreAntiforgeryToken(Order = 1001)]
public sealed class ErrorModel(IStringLocalizer<SharedText> text) : PageModel
{
    public string Heading { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    // The code is read from the query by hand: binding would read the form, which may be what failed.
    public void OnGet() => Describe(Code());

    public void OnPost() => Describe(Code());

    private int? Code() => int.TryParse(Request.Query["code"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : null;

    private bool FromPath(string prefix) =>
        HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>()?.OriginalPath
            .StartsWith(prefix, StringComparison.OrdinalIgnoreCase) == true;

    private void Describe(int? code)
    {
        (Heading, Explanation) = code switch
        {
            404 => (text["Page not found"].Value, text["The page you asked for does not exist."].Value),
            400 or 413 => (text["What was sent could not be read"].Value, text["Nothing was saved. If you wrote a very long text, it is longer than the box allows: go back, shorten it, and send it again."].Value),
            403 => (text["Not allowed"].Value, text["You do not have access to this page."].Value),
            // A victim checking her case is told plainly that the limit is about tries, never about her case.
            429 when FromPath("/status") => (text["Too many tries in a short time"].Value, text["Please wait one minute, then try again. This limit is only about the number of tries: your case is safe, and your right code will still work."].Value),
            429 => (text["Too many tries in a short time"].Value, text["Please wait one minute, then try again."].Value),
            _ => (text["Something went wrong"].Value, text["Nothing you entered has been shared. Please try again in a moment."].Value),
        };
    }
}
