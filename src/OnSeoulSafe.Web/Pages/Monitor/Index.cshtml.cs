using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Pages.Monitor;

/// <summary>A citizen monitor's own reports and what came of them; never a case, not even its reference.</summary>
public sealed class IndexModel(PortalDbContext db, UserManager<StaffMember> users) : PageModel
{
    public IReadOnlyList<ReportRow> Reports { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var me = Guid.Parse(users.GetUserId(User)!);
        Reports = await db.MonitorReports.AsNoTracking()
            .Where(r => r.MonitorId == me)
            .OrderByDescending(r => r.ReportedAt)
            .Take(500)
            .Select(r => new ReportRow(r.Id, r.ReportedAt, r.Url, db.Platforms.Where(p => p.Id == r.PlatformId).Select(p => p.Name).FirstOrDefault(),
                r.Kind, r.Status, r.DismissReason))
            .ToListAsync(HttpContext.RequestAborted);
    }

    /// <summary>Only what a monitor may know: the outcome, never the case it was linked to.</summary>
    public sealed record ReportRow(long Id, DateTimeOffset ReportedAt, string Url, string? Platform, ContentKind Kind, MonitorReportStatus Status, string? DismissReason);
}
