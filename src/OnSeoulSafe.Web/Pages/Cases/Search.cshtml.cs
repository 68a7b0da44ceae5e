using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Pages.Dashboard;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>
/// Case search. Managers search every case; companions the cases they may open from their list (assigned to them,
/// or where they hold a service track). A phone number, e-mail address or link is matched exactly through its keyed
/// hash (<see cref="Fingerprints"/>), never by decrypting the table; the search is a POST, so what was typed stays
/// in the form and never reaches a URL or a log. Every case shown gets its access-log row, in one save.
/// </summary>
public sealed class SearchModel(
    PortalDbContext db,
    Fingerprints fingerprints,
    IOptions<DashboardOptions> dashboard,
    TimeProvider clock,
    IStringLocalizer<SearchText> text) : PageModel
{
    public const int PageSize = 25;

    public enum SortOrder { Newest, Oldest, Priority, Reference }

    public sealed record SearchInput
    {
        public string? Reference { get; init; }
        public CaseStatus? Status { get; init; }
        public CasePriority? Priority { get; init; }
        public CrimeType? CrimeType { get; init; }
        public Guid? CompanionId { get; init; }
        public int? PlatformId { get; init; }
        public DateOnly? From { get; init; }
        public DateOnly? To { get; init; }
        public bool MinorsOnly { get; init; }
        public bool OverdueOnly { get; init; }
        public string? Phone { get; init; }
        public string? Email { get; init; }
        public string? Link { get; init; }
        public SortOrder Sort { get; init; }
        public int PageNumber { get; init; } = 1;
    }

    public sealed record Row(
        long CaseId,
        string Reference,
        CaseStatus Status,
        CasePriority Priority,
        bool IsMinor,
        List<CrimeType> CrimeTypes,
        Guid? AssignedCompanionId,
        string? Companion,
        DateTimeOffset CreatedAt,
        DateTimeOffset? FirstContactAt);

    [BindProperty]
    public SearchInput Input { get; set; } = new();

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public bool Searched { get; private set; }
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public IReadOnlyList<(Guid Id, string Name)> Companions { get; private set; } = [];
    public IReadOnlyList<(int Id, string Name)> Platforms { get; private set; } = [];
    public bool IsManager => User.IsInRole(StaffRoles.Manager);

    public Task OnGetAsync() => LoadChoicesAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var ct = HttpContext.RequestAborted;
        await LoadChoicesAsync();
        var me = CaseAccessHandler.StaffIdOf(User);
        if (me is null) return Forbid();
        var query = Filter(me.Value);
        if (!ModelState.IsValid || query is null) return Page();

        Total = await query.CountAsync(ct);
        var page = Math.Clamp(Input.PageNumber, 1, PageCount);
        Input = Input with { PageNumber = page };
        Rows = await Sorted(query)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(c => new Row(c.Id, c.Reference, c.Status, c.Priority, c.IsMinor, c.CrimeTypes, c.AssignedCompanionId,
                c.AssignedCompanion == null ? null : c.AssignedCompanion.FullName, c.CreatedAt, c.FirstContactAt))
            .ToListAsync(ct);
        Searched = true;

        var now = clock.GetUtcNow();
        foreach (var row in Rows)
        {
            CaseAccessLog.Record(db, now, me, CaseAccessHandler.ActorRoleOf(User, row.AssignedCompanionId), row.CaseId, AccessAction.View, CaseAccessLog.CaseSearchList);
        }
        await db.SaveChangesAsync(ct);
        return Page();
    }

    /// <summary>The cases this user may see that match the search; null (with the reason in the model state) when the search cannot be run.</summary>
    private IQueryable<Case>? Filter(Guid me)
    {
        var query = db.Cases.AsNoTracking();
        if (!IsManager) query = query.Where(c => c.AssignedCompanionId == me || c.Tracks.Any(t => t.ResponsibleStaffId == me));

        if (!string.IsNullOrWhiteSpace(Input.Reference))
        {
            var reference = Input.Reference.Trim().ToUpperInvariant();
            query = query.Where(c => c.Reference.StartsWith(reference));
        }
        if (Input.Status is { } status) query = query.Where(c => c.Status == status);
        if (Input.Priority is { } priority) query = query.Where(c => c.Priority == priority);
        if (Input.CrimeType is { } crime) query = query.Where(c => c.CrimeTypes.Contains(crime));
        if (Input.CompanionId is { } companion) query = query.Where(c => c.AssignedCompanionId == companion);
        if (Input.PlatformId is { } platform) query = query.Where(c => db.ContentItems.Any(i => i.CaseId == c.Id && i.PlatformId == platform));
        if (Input.From is { } from && Input.To is { } to && to < from)
        {
            ModelState.AddModelError("Input.To", text["The end date is before the start date."]);
        }
        if (Input.From is { } start)
        {
            var since = KoreaTime.FromKorea(start.ToDateTime(TimeOnly.MinValue)).ToUniversalTime();
            query = query.Where(c => c.CreatedAt >= since);
        }
        if (Input.To is { } end)
        {
            var until = KoreaTime.FromKorea(end.AddDays(1).ToDateTime(TimeOnly.MinValue)).ToUniversalTime();
            query = query.Where(c => c.CreatedAt < until);
        }
        if (Input.MinorsOnly) query = query.Where(c => c.IsMinor);
        if (Input.OverdueOnly)
        {
            // Still waiting for the first contact past the target the dashboard counts against.
            var now = clock.GetUtcNow();
            var targets = dashboard.Value.Targets;
            var cutNormal = now.AddHours(-targets.FirstContactHours).ToUniversalTime();
            var cutEmergency = now.AddHours(-targets.EmergencyFirstContactHours).ToUniversalTime();
            query = query.Where(c => c.FirstContactAt == null && c.Status != CaseStatus.Closed && c.Status != CaseStatus.Withdrawn
                && c.CreatedAt < (c.Priority == CasePriority.Emergency ? cutEmergency : cutNormal));
        }
        if (!string.IsNullOrWhiteSpace(Input.Phone))
        {
            if (fingerprints.ContactPhone(Input.Phone) is { } phone) query = query.Where(c => c.ContactPhoneLookup == phone);
            else ModelState.AddModelError("Input.Phone", text["Enter the phone number with its digits."]);
        }
        if (!string.IsNullOrWhiteSpace(Input.Email))
        {
            var email = fingerprints.ContactEmail(Input.Email)!;
            query = query.Where(c => c.ContactEmailLookup == email);
        }
        if (!string.IsNullOrWhiteSpace(Input.Link))
        {
            if (ContentLinks.Normalise(Input.Link) is { } link)
            {
                var print = fingerprints.ContentUrl(link);
                query = query.Where(c => db.ContentItems.Any(i => i.CaseId == c.Id && i.UrlFingerprint == print));
            }
            else
            {
                ModelState.AddModelError("Input.Link", text["Enter the whole link, starting with http:// or https://."]);
            }
        }
        return ModelState.IsValid ? query : null;
    }

    private IQueryable<Case> Sorted(IQueryable<Case> query) => Input.Sort switch
    {
        SortOrder.Oldest => query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id),
        SortOrder.Priority => query.OrderBy(c => c.Priority == CasePriority.Emergency ? 0 : c.Priority == CasePriority.High ? 1 : 2)
            .ThenBy(c => c.CreatedAt).ThenBy(c => c.Id),
        SortOrder.Reference => query.OrderBy(c => c.Reference),
        _ => query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id),
    };

    private async Task LoadChoicesAsync()
    {
        var ct = HttpContext.RequestAborted;
        Platforms = (await db.Platforms.AsNoTracking().OrderBy(p => p.Name).Select(p => new { p.Id, p.Name }).ToListAsync(ct))
            .Select(p => (p.Id, p.Name)).ToList();
        if (IsManager)
        {
            var companionRole = await db.Roles.AsNoTracking().Where(r => r.Name == StaffRoles.Companion).Select(r => r.Id).SingleOrDefaultAsync(ct);
            Companions = (await db.Users.AsNoTracking()
                    .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == companionRole))
                    .OrderBy(u => u.FullName).Select(u => new { u.Id, u.FullName }).ToListAsync(ct))
                .Select(u => (u.Id, u.FullName)).ToList();
        }
    }

    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
