using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OnSeoulSafe.Web.Pages;

public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
