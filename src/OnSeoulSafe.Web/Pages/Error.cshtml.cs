using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages;

/// <summary>A calm error page: never a stack trace, never anything from the request.</summary>
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel(IStringLocalizer<SharedText> text) : PageModel
{
    public string Heading { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public void OnGet(int? code) => Describe(code);

    // Re-executed for failed POSTs too; antiforgery is not relevant to an error page.
    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        (Heading, Explanation) = code switch
        {
            404 => (text["Page not found"].Value, text["The page you asked for does not exist."].Value),
            403 => (text["Not allowed"].Value, text["You do not have access to this page."].Value),
            429 => (text["Too many attempts"].Value, text["Please wait a little and try again."].Value),
            _ => (text["Something went wrong"].Value, text["Nothing you entered has been shared. Please try again in a moment."].Value),
        };
    }
}
