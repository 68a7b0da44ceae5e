using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnSeoulSafe.Cases.Audit;

namespace OnSeoulSafe.Web.Pages.Audit;

/// <summary>
/// Auditors prove the access log unbroken: the whole seal chain is recomputed from the first seal, and settled entries
/// left outside the chain are counted. "Seal now" first adds every settled entry to the chain.
/// </summary>
public sealed class VerifyModel(AccessLogChain chain) : PageModel
{
    public ChainReport Report { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        Report = await chain.VerifyAsync(HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostSealAsync()
    {
        await chain.SealAsync(everything: true, HttpContext.RequestAborted);
        return RedirectToPage();
    }
}
