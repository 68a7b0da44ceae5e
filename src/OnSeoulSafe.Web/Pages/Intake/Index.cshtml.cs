using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Pages.Intake;

/// <summary>The intake queue: open cases nobody holds yet, emergencies first, then the oldest.</summary>
public sealed class IndexModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public sealed record Row(string Reference, CasePriority Priority, CaseStatus Status, bool IsMinor, DateTimeOffset CreatedAt, string Language);

    public IReadOnlyList<Row> Queue { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync()
    {
        Now = clock.GetUtcNow();
        Queue = await db.Cases.AsNoTracking()
            .Where(c => c.AssignedCompanionId == null && (c.Status == CaseStatus.New || c.Status == CaseStatus.Triaged))
            .OrderBy(c => c.Priority == CasePriority.Emergency ? 0 : c.Priority == CasePriority.High ? 1 : 2)
            .ThenBy(c => c.CreatedAt)
            .Select(c => new Row(c.Reference, c.Priority, c.Status, c.IsMinor, c.CreatedAt, c.Victim.PreferredLanguage))
            .Take(500)
            .ToListAsync(HttpContext.RequestAborted);
    }
}
