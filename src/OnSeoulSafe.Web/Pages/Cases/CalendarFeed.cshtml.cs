using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>
/// The staff member's calendar feed: make or renew its secret address (shown once, on the answer to the post, never
/// in a redirect or a cookie), or revoke it when it may have leaked.
/// </summary>
public sealed class CalendarFeedModel(PortalDbContext db, TimeProvider clock, IStringLocalizer<CasesText> text) : PageModel
{
    public CalendarFeed? Feed { get; private set; }

    /// <summary>The new address, on the answer to a renewal only.</summary>
    public string? NewAddress { get; private set; }

    public async Task OnGetAsync() => Feed = await LoadAsync();

    public async Task<IActionResult> OnPostRenewAsync()
    {
        var me = CaseAccessHandler.StaffIdOf(User) ?? throw new InvalidOperationException("A staff page without a staff member.");
        var now = clock.GetUtcNow();
        Feed = await LoadAsync();
        string token;
        if (Feed is null)
        {
            (Feed, token) = CalendarFeed.Open(me, now);
            db.CalendarFeeds.Add(Feed);
        }
        else
        {
            token = Feed.Renew(now);
        }
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        NewAddress = $"{Request.Scheme}://{Request.Host}{AgendaFeed.PathFor(token)}";
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync()
    {
        Feed = await LoadAsync();
        if (Feed is not null)
        {
            Feed.Revoke(clock.GetUtcNow());
            await db.SaveChangesAsync(HttpContext.RequestAborted);
        }
        TempData["Done"] = text["The calendar feed address no longer works."].Value;
        return RedirectToPage();
    }

    private Task<CalendarFeed?> LoadAsync()
    {
        var me = CaseAccessHandler.StaffIdOf(User);
        return db.CalendarFeeds.SingleOrDefaultAsync(f => f.StaffId == me, HttpContext.RequestAborted);
    }
}
