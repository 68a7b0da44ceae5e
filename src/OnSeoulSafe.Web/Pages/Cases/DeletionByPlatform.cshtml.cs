using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>
/// The deletion request queue grouped by platform: one request to a platform covers all its waiting links, across
/// cases (<see cref="ContentLedger.RequestPlatformAsync"/>). Who sees which links is the queue's rule
/// (<see cref="CaseAccessHandler.DeletionQueueCompanionOf"/>). Each case listed gets a read row; each case a request
/// touches gets an edit row, saved with the requests in one transaction.
/// </summary>
public sealed class DeletionByPlatformModel(
    PortalDbContext db,
    ContentLedger ledger,
    TimeProvider clock,
    IStringLocalizer<SearchText> text) : PageModel
{
    private const string What = CaseAccessLog.PlatformRequestsList;

    /// <summary>The waiting links of one platform (or of no known platform when <see cref="PlatformId"/> is null).</summary>
    public sealed record Group(int? PlatformId, string? PlatformName, IReadOnlyList<QueuedItem> Items)
    {
        public IReadOnlyList<string> References => Items.Select(i => i.CaseReference ?? ContentLedger.CaselessReference(i.ItemId)).Distinct().ToList();
        public int Minors => Items.Count(i => i.IsMinor);
    }

    public IReadOnlyList<Group> Groups { get; private set; } = [];
    public PlatformRequest? Requested { get; private set; }
    public string RequestedLanguage { get; private set; } = DeletionRequestText.Korean;

    public async Task OnGetAsync()
    {
        await LoadAsync([]);
        await db.SaveChangesAsync(HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostRequestAsync(int? platformId, string? language)
    {
        var ct = HttpContext.RequestAborted;
        var me = CaseAccessHandler.StaffIdOf(User);
        if (me is null) return Forbid();
        RequestedLanguage = language == DeletionRequestText.English ? DeletionRequestText.English : DeletionRequestText.Korean;
        var touched = new HashSet<long>();
        if (platformId is { } id)
        {
            Requested = await ledger.RequestPlatformAsync(id, CaseAccessHandler.DeletionQueueCompanionOf(User), RequestedLanguage, me.Value, ct);
        }
        if (Requested is null)
        {
            ModelState.AddModelError(string.Empty, text["No links of this platform are waiting for a deletion request."]);
        }
        else
        {
            var now = clock.GetUtcNow();
            var cases = Requested.Items.Where(i => i.CaseId is not null).Select(i => i.CaseId!.Value).Distinct().ToList();
            var assigned = await db.Cases.AsNoTracking().Where(c => cases.Contains(c.Id)).Select(c => new { c.Id, c.AssignedCompanionId }).ToListAsync(ct);
            foreach (var @case in assigned)
            {
                CaseAccessLog.Record(db, now, me, CaseAccessHandler.ActorRoleOf(User, @case.AssignedCompanionId), @case.Id, AccessAction.Edit, What + "#Request");
                touched.Add(@case.Id);
            }
        }
        await LoadAsync(touched, Requested?.Items.Select(i => i.Id).ToHashSet());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone answered or requested one of these links at the same moment: nothing of this batch is saved.
            db.ChangeTracker.Clear();
            Requested = null;
            ModelState.AddModelError(string.Empty, text["Someone changed one of these links at the same moment. Nothing was requested; look again."]);
            await LoadAsync([]);
            await db.SaveChangesAsync(ct);
            return Page();
        }
        if (Requested is not null) TempData["Done"] = text["{0} links requested from {1} in one request. Send the text below through the platform's channel.", Requested.Items.Count, Requested.Platform.Name].Value;
        return Page();
    }

    /// <summary>Reads the queue this user may see, grouped by platform, and logs a read for each case shown (but those just changed).</summary>
    private async Task LoadAsync(HashSet<long> edited, HashSet<long>? justRequested = null)
    {
        var ct = HttpContext.RequestAborted;
        var items = await ledger.PlatformQueueAsync(CaseAccessHandler.DeletionQueueCompanionOf(User), ct);
        if (justRequested is not null) items = items.Where(i => !justRequested.Contains(i.ItemId)).ToList();
        var platforms = await db.Platforms.AsNoTracking().Select(p => new { p.Id, p.Name }).ToDictionaryAsync(p => p.Name, p => p.Id, ct);
        Groups = items.GroupBy(i => i.PlatformName)
            .Select(g => new Group(g.Key is { } name && platforms.TryGetValue(name, out var id) ? id : null, g.Key, g.ToList()))
            .OrderBy(g => g.PlatformId is null).ThenByDescending(g => g.Minors > 0).ThenByDescending(g => g.Items.Count).ThenBy(g => g.PlatformName)
            .ToList();
        var me = CaseAccessHandler.StaffIdOf(User);
        var now = clock.GetUtcNow();
        foreach (var shown in items.Where(i => i.CaseId is { } id && !edited.Contains(id)).GroupBy(i => i.CaseId!.Value))
        {
            CaseAccessLog.Record(db, now, me, CaseAccessHandler.ActorRoleOf(User, shown.First().AssignedCompanionId), shown.Key, AccessAction.View, What);
        }
    }
}
