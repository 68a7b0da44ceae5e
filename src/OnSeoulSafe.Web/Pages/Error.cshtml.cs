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
public sealed class ErrorModel(IStringLocalizer<SharedText> text, IStringLocalizer<FieldProtectionText> protection, ILogger<ErrorModel> logger) : PageModel
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
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error is OnSeoulSafe.Cases.Protection.FieldPlaceException misplaced)
        {
            // Names the place only (table, column, row key), never the value.
            logger.LogWarning("Refused an encrypted value not written for its place: {Table}.{Column}, row {RowKey}",
                misplaced.Table, misplaced.Column, misplaced.RowKey ?? (misplaced.OldFormat ? "(old format, bound to no place)" : "(another column)"));
            Response.StatusCode = StatusCodes.Status409Conflict;
            (Heading, Explanation) = (protection["A protected field could not be shown"].Value,
                protection["A protected field on this page was not written for this record: it may have been copied from another record in the database. Nothing was shown, and the refusal was recorded. Please tell the system administrator."].Value);
            return;
        }
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
