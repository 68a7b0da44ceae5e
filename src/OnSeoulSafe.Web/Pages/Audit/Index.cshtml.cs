using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Audit;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.Web.Pages.Audit;

/// <summary>Auditors search the access log: who, when, which case, what, why. Never any case content.</summary>
public sealed class IndexModel(PortalDbContext db, UnusualAccess unusualAccess) : PageModel
{
    public const int MaxRows = 500;

    public sealed record Row(DateTimeOffset At, string? Account, string ActorRole, string? Reference, AccessAction Action, string What, string? Reason, string? Subject);

    /// <summary>Rows about staff accounts (changes, sign-ins), not about a case.</summary>
    public static bool IsAccountAction(AccessAction action) => action >= AccessAction.AccountCreated;

    [BindProperty(SupportsGet = true)]
    public SearchInput Search { get; set; } = new();

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyList<UnusualAccessAlert> Alerts { get; private set; } = [];
    public bool Searched { get; private set; }

    public async Task OnGetAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        Alerts = await unusualAccess.FindAsync(cancellationToken);
        var query = db.AccessLog.AsNoTracking();
        Searched = Search.HasAny;
        if (!string.IsNullOrWhiteSpace(Search.Reference))
        {
            var reference = Search.Reference.Trim().ToUpperInvariant();
            var caseId = await db.Cases.Where(c => c.Reference == reference).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
            // An unknown reference matches nothing (not the rows about no case: sign-ins, account changes).
            query = caseId is null ? query.Where(e => false) : query.Where(e => e.CaseId == caseId);
        }
        if (!string.IsNullOrWhiteSpace(Search.Staff))
        {
            var staff = Search.Staff.Trim().ToUpperInvariant();
            var ids = await db.Users.Where(u => u.NormalizedEmail == staff || u.NormalizedUserName == staff).Select(u => u.Id).ToListAsync(cancellationToken);
            query = query.Where(e => (e.StaffId != null && ids.Contains(e.StaffId.Value)) || (e.SubjectStaffId != null && ids.Contains(e.SubjectStaffId.Value)));
        }
        if (Search.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }
        if (Search.From is { } from)
        {
            var since = KoreaTime.FromKorea(from.ToDateTime(TimeOnly.MinValue));
            query = query.Where(e => e.At >= since);
        }
        if (Search.To is { } to)
        {
            var until = KoreaTime.FromKorea(to.AddDays(1).ToDateTime(TimeOnly.MinValue));
            query = query.Where(e => e.At < until);
        }
        Rows = await (
                from e in query
                join u in db.Users on e.StaffId equals u.Id into users
                from u in users.DefaultIfEmpty()
                join c in db.Cases on e.CaseId equals c.Id into cases
                from c in cases.DefaultIfEmpty()
                join s in db.Users on e.SubjectStaffId equals s.Id into subjects
                from s in subjects.DefaultIfEmpty()
                orderby e.At descending, e.Id descending
                select new Row(e.At, u == null ? null : u.Email, e.ActorRole, c == null ? null : c.Reference, e.Action, e.What, e.Reason, s == null ? null : s.Email))
            .Take(MaxRows)
            .ToListAsync(cancellationToken);
    }

    public sealed record SearchInput
    {
        public string? Reference { get; set; }
        public string? Staff { get; set; }
        public AccessAction? Action { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }

        public bool HasAny => !string.IsNullOrWhiteSpace(Reference) || !string.IsNullOrWhiteSpace(Staff) || Action is not null || From is not null || To is not null;
    }

    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
