using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Pages.Status;

/// <summary>
/// What she wrote, to read again behind the same code: the account as first written and every dated addition.
/// Each visit is logged as her own read, like every other status page.
/// </summary>
public sealed class WrittenModel(VictimCase victimCase) : PageModel
{
    public Case Current { get; private set; } = null!;

    public IReadOnlyList<NarrativeAmendment> Additions { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Current = await victimCase.LoadAsync(q => q.Include(c => c.Narrative).Include(c => c.Amendments), "Status/Written", HttpContext.RequestAborted);
        Additions = Current.Amendments.Where(a => a.Text.Length > 0).OrderBy(a => a.AddedAt).ToList();
        await victimCase.SaveViewAsync(HttpContext.RequestAborted);
    }
}
