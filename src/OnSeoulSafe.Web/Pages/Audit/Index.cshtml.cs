using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Audit;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Pages.Cases;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Audit;

/// <summary>
/// Auditors search the access log: who, when, which case, what, why. Never any case content. Results come a page of
/// <see cref="MaxRows"/> at a time, newest first, and the whole search exports as CSV.
/// </summary>
public sealed class IndexModel(PortalDbContext db, UnusualAccess unusualAccess, IStringLocalizer<AuditText> text, IStringLocalizer<SharedText> shared) : PageModel
{
    public const int MaxRows = 500;

    /// <summary>An export stops here; a narrower date range gets the rest.</summary>
    public const int MaxExportRows = 100_000;

    public sealed record Row(DateTimeOffset At, string? Account, string ActorRole, string? Reference, AccessAction Action, string What, string? Reason, string? Subject);

    /// <summary>Rows about staff accounts (changes, sign-ins), not about a case.</summary>
    public static bool IsAccountAction(AccessAction action) => action >= AccessAction.AccountCreated;

    [BindProperty(SupportsGet = true)]
    public SearchInput Search { get; set; } = new();

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyList<UnusualAccessAlert> Alerts { get; private set; } = [];
    public bool Searched { get; private set; }

    /// <summary>True when another page of older entries follows this one.</summary>
    public bool HasOlder { get; private set; }

    public async Task OnGetAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        Alerts = await unusualAccess.FindAsync(cancellationToken);
        if (!CheckDates()) return;
        var page = Math.Max(1, Search.PageNumber ?? 1);
        var rows = await RowsAsync(await FilteredAsync(cancellationToken), (page - 1) * MaxRows, MaxRows + 1, cancellationToken);
        HasOlder = rows.Count > MaxRows;
        Rows = rows.Take(MaxRows).ToList();
    }

    /// <summary>The whole search as CSV (UTF-8 with BOM, so a spreadsheet reads the Korean), Korea time, roles and pages in words.</summary>
    public async Task<IActionResult> OnGetCsvAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!CheckDates())
        {
            Alerts = await unusualAccess.FindAsync(cancellationToken);
            return Page();
        }
        var rows = await RowsAsync(await FilteredAsync(cancellationToken), 0, MaxExportRows, cancellationToken);
        var table = new Dashboard.DashboardCsv.Table("access-log",
            [text["When"], text["Who"], text["Role"], text["Case"], text["Action"], text["What was opened"], text["Page"], text["Reason"]],
            rows.Select(r => (IReadOnlyList<string>)[
                KoreaTime.Format(r.At), r.Account ?? "", RoleName(r.ActorRole), r.Reference ?? "", text[CaseLabels.Of(r.Action)].Value,
                text[AuditWords.Of(r.What)].Value, r.What, r.Reason ?? ""]).ToList());
        return File(Dashboard.DashboardCsv.Write(table), "text/csv; charset=utf-8", "access-log.csv");
    }

    /// <summary>A role as the log recorded it, in the reader's language.</summary>
    public string RoleName(string role) => role switch
    {
        CaseAccessLog.VictimRole => shared["Victim"].Value,
        StaffRoles.Companion or StaffRoles.Manager or StaffRoles.Monitor or StaffRoles.Auditor or StaffRoles.Admin
            or StaffAccountLog.AccountRole => shared[role].Value,
        _ => shared["Unknown"].Value,
    };

    /// <summary>A range ending before it starts matches nothing by construction: say so instead of an empty list.</summary>
    private bool CheckDates()
    {
        if (Search.From is { } from && Search.To is { } to && to < from)
        {
            ModelState.AddModelError("Search.To", text["The end date is before the start date. Choose an end date on or after {0}.", Date(from)]);
            return false;
        }
        return true;
    }

    private async Task<IQueryable<AccessLogEntry>> FilteredAsync(CancellationToken cancellationToken)
    {
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
        return query;
    }

    private Task<List<Row>> RowsAsync(IQueryable<AccessLogEntry> query, int skip, int take, CancellationToken cancellationToken) =>
        (
                from e in query
                join u in db.Users on e.StaffId equals u.Id into users
                from u in users.DefaultIfEmpty()
                join c in db.Cases on e.CaseId equals c.Id into cases
                from c in cases.DefaultIfEmpty()
                join s in db.Users on e.SubjectStaffId equals s.Id into subjects
                from s in subjects.DefaultIfEmpty()
                orderby e.At descending, e.Id descending
                select new Row(e.At, u == null ? null : u.Email, e.ActorRole, c == null ? null : c.Reference, e.Action, e.What, e.Reason, s == null ? null : s.Email))
            .Skip(skip)
            .Take(take)
            .ToListAsync(cancellationToken);

    public sealed record SearchInput
    {
        public string? Reference { get; set; }
        public string? Staff { get; set; }
        public AccessAction? Action { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }

        /// <summary>
        /// 1 for the newest entries, 2 for the next <see cref="MaxRows"/> older ones, and so on. Not named "Page": a
        /// search without filters binds without its prefix, and Razor Pages' own "page" route value would land here.
        /// </summary>
        public int? PageNumber { get; set; }

        public bool HasAny => !string.IsNullOrWhiteSpace(Reference) || !string.IsNullOrWhiteSpace(Staff) || Action is not null || From is not null || To is not null;
    }

    /// <summary>The query string of this search at another page (the filters kept).</summary>
    public string PageUrl(int page, string? handler = null)
    {
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) query.Add(name + "=" + Uri.EscapeDataString(value));
        }
        Add("Search.Reference", Search.Reference);
        Add("Search.Staff", Search.Staff);
        Add("Search.Action", Search.Action?.ToString());
        Add("Search.From", Search.From is null ? null : Date(Search.From));
        Add("Search.To", Search.To is null ? null : Date(Search.To));
        if (page > 1) Add("Search.PageNumber", page.ToString(CultureInfo.InvariantCulture));
        Add("handler", handler);
        return "/audit" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
    }

    public int CurrentPage => Math.Max(1, Search.PageNumber ?? 1);

    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
