using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Admin.Sources;

/// <summary>The sites, boards and feeds monitoring watches; each can be paused and resumed here.</summary>
public sealed class IndexModel(PortalDbContext db, IStringLocalizer<MonitoringText> text) : PageModel
{
    public sealed record SourceRow(int Id, string Name, string StartAddress, string? PlatformName, int MaxDepth, TimeSpan Interval,
        int MaxConcurrency, double RequestsPerSecond, bool IsPaused, DateTimeOffset? LastCrawlStartedAt);

    public IReadOnlyList<SourceRow> Sources { get; private set; } = [];

    public async Task OnGetAsync() =>
        Sources = await db.MonitoringSources.AsNoTracking()
            .OrderBy(s => s.IsPaused).ThenBy(s => s.Name)
            .Select(s => new SourceRow(s.Id, s.Name, s.StartAddress, s.Platform == null ? null : s.Platform.Name, s.MaxDepth, s.Interval,
                s.MaxConcurrency, s.RequestsPerSecond, s.IsPaused, s.LastCrawlStartedAt))
            .ToListAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostPauseAsync(int id) => await SetPausedAsync(id, paused: true);

    public async Task<IActionResult> OnPostResumeAsync(int id) => await SetPausedAsync(id, paused: false);

    private async Task<IActionResult> SetPausedAsync(int id, bool paused)
    {
        var source = await db.MonitoringSources.SingleOrDefaultAsync(s => s.Id == id, HttpContext.RequestAborted);
        // A source removed meanwhile: back to the list, which no longer shows it.
        if (source is null) return RedirectToPage("/Admin/Sources/Index");
        if (paused) source.Pause();
        else source.Resume();
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Saved"] = (paused ? text["{0} is paused: nothing more is fetched from it until it is resumed.", source.Name] : text["{0} is watched again.", source.Name]).Value;
        return RedirectToPage("/Admin/Sources/Index");
    }
}
