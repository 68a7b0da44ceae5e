using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Matching;
using OnSeoulSafe.Hashing;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Intake;

/// <summary>
/// Managers triage citizen monitors' reports: link to a case, open a case-less deletion request (unknown victim,
/// above all minors), or dismiss with a reason. Reports of the same link are shown and handled together.
/// </summary>
public sealed class MonitorReportsModel(
    PortalDbContext db,
    ContentLedger ledger,
    TimeProvider clock,
    UserManager<StaffMember> users,
    PerceptualMatches perceptual,
    IStringLocalizer<DeletionText> text) : PageModel
{
    public const int QueueSize = 200;

    [BindProperty]
    public TriageInput Input { get; set; } = new();

    public IReadOnlyList<ReportGroup> Groups { get; private set; } = [];
    public IReadOnlyList<CaselessRow> Caseless { get; private set; } = [];
    public IReadOnlyList<Platform> Platforms { get; private set; } = [];

    /// <summary>The group whose form failed validation: its fields keep what was typed and show the errors.</summary>
    public string? FailedGroup { get; private set; }

    public PlatformRequest? Requested { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostLinkAsync()
    {
        var ct = HttpContext.RequestAborted;
        var reports = await GroupReportsAsync(ct);
        if (reports.Count == 0) return RedirectToPage();
        if (string.IsNullOrWhiteSpace(Input.Reference))
        {
            return await FailAsync(nameof(TriageInput.Reference), text["Enter the case reference."]);
        }
        var reference = Input.Reference.Trim().ToUpperInvariant();
        var @case = await db.Cases.SingleOrDefaultAsync(c => c.Reference == reference, ct);
        if (@case is null)
        {
            return await FailAsync(nameof(TriageInput.Reference), text["No case has this reference."]);
        }
        if (!@case.IsOpen)
        {
            return await FailAsync(nameof(TriageInput.Reference), text["This case is closed. Reopen it before adding links."]);
        }
        var me = Me();
        var now = clock.GetUtcNow();
        var first = reports[0];
        var result = await ledger.AddLinksAsync(@case, [new NewLink(first.Url, first.Kind, first.PlatformId, reports.Select(r => r.Sha256).FirstOrDefault(s => s is not null))],
            ContentFinder.CitizenMonitor, me, ct);
        var item = result.Entries.Single().Item;
        foreach (var report in reports) report.LinkToCase(@case.Id, item, me, now);
        await HashBank.AssignMonitorReportsAsync(db, reports.Select(r => r.Id).ToList(), @case.Id, ct);
        // The new link, the reports' triage and the access-log row are one save.
        db.AccessLog.Add(new AccessLogEntry(now, me, StaffRoles.Manager, @case.Id, AccessAction.Edit, "Intake/MonitorReports:Link", null));
        await db.SaveChangesAsync(ct);
        TempData["Triaged"] = text["Linked to case {0}.", @case.Reference].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCaselessAsync()
    {
        var ct = HttpContext.RequestAborted;
        var reports = await GroupReportsAsync(ct);
        if (reports.Count == 0) return RedirectToPage();
        var me = Me();
        var now = clock.GetUtcNow();
        var first = reports[0];
        var entry = await ledger.AddCaselessAsync(new NewLink(first.Url, first.Kind, first.PlatformId, reports.Select(r => r.Sha256).FirstOrDefault(s => s is not null)),
            ContentFinder.CitizenMonitor, Input.ConcernsMinor, ct);
        foreach (var report in reports) report.OpenCaselessDeletion(entry!.Item, me, now);
        await db.SaveChangesAsync(ct);
        TempData["Triaged"] = text["A case-less deletion request was opened."].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDismissAsync()
    {
        var ct = HttpContext.RequestAborted;
        var reports = await GroupReportsAsync(ct);
        if (reports.Count == 0) return RedirectToPage();
        var reason = Input.Reason?.Trim() ?? "";
        if (reason.Length == 0)
        {
            return await FailAsync(nameof(TriageInput.Reason), text["Give the reason for dismissing; the monitor will see it."]);
        }
        if (reason.Length > 1000)
        {
            return await FailAsync(nameof(TriageInput.Reason), text["The reason can be at most {0} characters.", 1000]);
        }
        var me = Me();
        var now = clock.GetUtcNow();
        foreach (var report in reports) report.Dismiss(reason, me, now);
        // Content judged not to be abuse must never match anything.
        await HashBank.ForgetMonitorReportsAsync(db, reports.Select(r => r.Id).ToList(), ct);
        await db.SaveChangesAsync(ct);
        TempData["Triaged"] = text["The report was dismissed."].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRequestCaselessAsync(long itemId, int? platformId, string language)
    {
        var ct = HttpContext.RequestAborted;
        language = language == DeletionRequestText.English ? DeletionRequestText.English : DeletionRequestText.Korean;
        try
        {
            Requested = await ledger.RequestCaselessAsync(itemId, platformId, language, Me(), ct);
        }
        catch (DomainRuleException)
        {
            Requested = null;
        }
        if (Requested is null)
        {
            ModelState.AddModelError(string.Empty, text["Choose the platform to send the request to."]);
        }
        else
        {
            await db.SaveChangesAsync(ct);
        }
        await LoadAsync();
        return Page();
    }

    private async Task<IActionResult> FailAsync(string field, string message)
    {
        ModelState.AddModelError($"Input.{field}", message);
        FailedGroup = Input.Group;
        await LoadAsync();
        return Page();
    }

    private Guid Me() => Guid.Parse(users.GetUserId(User)!);

    private async Task<List<MonitorReport>> GroupReportsAsync(CancellationToken ct)
    {
        byte[] fingerprint;
        try
        {
            fingerprint = Convert.FromHexString(Input.Group ?? "");
        }
        catch (FormatException)
        {
            return [];
        }
        return await db.MonitorReports.Where(r => r.Status == MonitorReportStatus.New && r.UrlFingerprint == fingerprint)
            .OrderBy(r => r.ReportedAt).ToListAsync(ct);
    }

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        Platforms = await db.Platforms.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct);
        var reports = await db.MonitorReports.AsNoTracking()
            .Where(r => r.Status == MonitorReportStatus.New)
            .OrderBy(r => r.ReportedAt)
            .Take(QueueSize)
            .ToListAsync(ct);
        Groups = reports
            .GroupBy(r => Convert.ToHexString(r.UrlFingerprint))
            .Select(g => new ReportGroup(
                g.Key,
                g.First().Url,
                Platforms.FirstOrDefault(p => p.Id == g.Select(r => r.PlatformId).FirstOrDefault(id => id is not null))?.Name,
                g.Select(r => r.Kind).Distinct().ToList(),
                g.Select(r => r.Note).Where(n => !string.IsNullOrWhiteSpace(n)).Cast<string>().ToList(),
                g.Count(),
                g.Min(r => r.ReportedAt),
                g.Any(r => r.Sha256 is not null),
                []))
            .ToList();
        Groups = await WithSuggestionsAsync(Groups, reports, ct);
        var caseless = await db.ContentItems.AsNoTracking()
            .Where(c => c.CaseId == null && (c.Status == ContentStatus.Found || c.Status == ContentStatus.Reappeared))
            .OrderByDescending(c => c.IsMinor).ThenBy(c => c.StatusChangedAt)
            .Take(QueueSize)
            .Select(c => new CaselessRow(c.Id, c.Url, c.PlatformId, c.Platform == null ? null : c.Platform.Name, c.Kind, c.Status, c.IsMinor, c.StatusChangedAt))
            .ToListAsync(ct);
        Caseless = caseless;
    }

    /// <summary>
    /// A picture a monitor kept whose PDQ (quality 50 or more) matches a case's bank entry: the case is suggested with
    /// the kind and distance of the closest hash, never the picture.
    /// </summary>
    private async Task<IReadOnlyList<ReportGroup>> WithSuggestionsAsync(IReadOnlyList<ReportGroup> groups, IReadOnlyList<MonitorReport> reports, CancellationToken ct)
    {
        var reportIds = reports.Select(r => r.Id).ToList();
        var hashes = await db.HashBankEntries.AsNoTracking()
            .Where(e => e.MonitorReportId != null && reportIds.Contains(e.MonitorReportId.Value) && e.Kind == HashKind.PdqImage)
            .Select(e => new { ReportId = e.MonitorReportId!.Value, e.Hash, e.Quality })
            .ToListAsync(ct);
        if (hashes.Count == 0) return groups;
        var groupOf = reports.ToDictionary(r => r.Id, r => Convert.ToHexString(r.UrlFingerprint));
        var found = new Dictionary<string, Dictionary<long, PerceptualMatch>>();
        foreach (var hash in hashes)
        {
            var matches = await perceptual.CasesMatchingAsync([PdqHash.FromBytes(hash.Hash)], hash.Quality ?? 0, null, ct);
            var byCase = found.TryGetValue(groupOf[hash.ReportId], out var known) ? known : found[groupOf[hash.ReportId]] = [];
            foreach (var match in matches)
            {
                if (!byCase.TryGetValue(match.CaseId, out var best) || match.Distance < best.Distance) byCase[match.CaseId] = match;
            }
        }
        var caseIds = found.Values.SelectMany(m => m.Keys).Distinct().ToList();
        var references = await db.Cases.AsNoTracking().Where(c => caseIds.Contains(c.Id)).Select(c => new { c.Id, c.Reference }).ToDictionaryAsync(c => c.Id, c => c.Reference, ct);
        return groups.Select(g => found.TryGetValue(g.Key, out var byCase)
                ? g with
                {
                    Suggestions = byCase.Values.Where(m => references.ContainsKey(m.CaseId)).OrderBy(m => m.Distance)
                        .Select(m => new SuggestedCase(references[m.CaseId], m.Kind, m.Distance)).ToList(),
                }
                : g)
            .ToList();
    }

    public sealed record SuggestedCase(string Reference, HashKind Kind, int Distance);

    public sealed record TriageInput
    {
        /// <summary>Hex of the link's fingerprint: every new report of that link is handled together.</summary>
        public string? Group { get; set; }
        public string? Reference { get; set; }
        public string? Reason { get; set; }
        public bool ConcernsMinor { get; set; }
    }

    public sealed record ReportGroup(string Key, string Url, string? Platform, IReadOnlyList<ContentKind> Kinds, IReadOnlyList<string> Notes,
        int Reports, DateTimeOffset FirstReportedAt, bool HasFileHash, IReadOnlyList<SuggestedCase> Suggestions);

    public sealed record CaselessRow(long Id, string Url, int? PlatformId, string? Platform, ContentKind Kind, ContentStatus Status, bool IsMinor, DateTimeOffset Since);
}
