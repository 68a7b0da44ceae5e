using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.Web.Pages;

/// <summary>
/// The quick exit: ends the victim's status session on the server, then sends the browser to the neutral site.
/// A GET, so it works as a plain link without JavaScript. It needs no antiforgery token because the only thing it
/// can do is end the caller's own session (it changes no case data); and the session cookie is SameSite=Strict, so
/// another site cannot make a browser end it. With JavaScript, the button calls it in the background
/// (<c>fetch</c> with <c>keepalive</c>) and leaves with <c>location.replace</c>, so the portal stays out of Back.
/// </summary>
public sealed class ExitModel(IConfiguration configuration) : PageModel
{
    public const string DefaultNeutralSite = "https://www.google.com/search?q=seoul+weather";

    public static string NeutralSite(IConfiguration configuration) => configuration["Portal:QuickExitUrl"] ?? DefaultNeutralSite;

    public async Task<IActionResult> OnGetAsync()
    {
        await VictimAccess.EndSessionAsync(HttpContext);
        return Redirect(NeutralSite(configuration));
    }
}
