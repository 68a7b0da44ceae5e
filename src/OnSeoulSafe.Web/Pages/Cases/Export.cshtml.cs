using System.Security.Cryptography;
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
/// The case file as a PDF for the police or a court, with the victim's consent to investigation or legal support.
/// Generating it is logged as an export (a read); its SHA-256 goes on the timeline; the document is never stored.
/// </summary>
[CaseFileExport]
public sealed class ExportModel(
    PortalDbContext db,
    CaseAccessContext access,
    TimeProvider clock,
    IStringLocalizer<CasesText> labels,
    IStringLocalizer<CaseFileText> text,
    IConfiguration configuration) : PageModel
{
    public Case Case { get; private set; } = null!;

    /// <summary>The documents made of this file before, newest first: when, by whom, their SHA-256.</summary>
    public IReadOnlyList<(DateTimeOffset At, string By, string Hash)> Earlier { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        await LoadAsync(cancellationToken);
        try
        {
            Case.EnsureMayLeaveThePortal();
        }
        catch (DomainRuleException refusal)
        {
            ModelState.AddModelError("", text[Refusal(refusal.Rule)]);
            return Page();
        }

        var now = clock.GetUtcNow();
        var staffIds = await db.TimelineEvents.Where(e => e.CaseId == access.CaseId && e.StaffId != null)
            .Select(e => e.StaffId).Distinct().ToListAsync(cancellationToken);
        var names = await CaseFiles.FirstNamesAsync(db, staffIds.Concat(Case.Amendments.Select(a => a.StaffId)).Append(access.StaffId), cancellationToken);
        var partners = await CaseFiles.PartnerNamesAsync(db, Case.Consents.Select(c => c.PartnerInstitutionId), cancellationToken);
        var items = await db.ContentItems.AsNoTracking().AsSplitQuery().Include(i => i.Requests).Include(i => i.Platform)
            .Where(i => i.CaseId == access.CaseId).OrderBy(i => i.FirstSeenAt).ThenBy(i => i.Id).ToListAsync(cancellationToken);
        var fingerprints = await db.EvidenceHashes.AsNoTracking().Where(h => h.CaseId == access.CaseId)
            .OrderBy(h => h.AddedAt).ThenBy(h => h.Id).ToListAsync(cancellationToken);
        var contents = new CaseFileContents(Case, now, names.GetValueOrDefault(access.StaffId, ""), names, partners,
            items.Select(i => new LedgerEntry(i, i.Platform?.Name)).ToList(), fingerprints);
        // Read as it is drawn: ten thousand events are never all in memory.
        var timeline = db.TimelineEvents.AsNoTracking().Where(e => e.CaseId == access.CaseId)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).AsAsyncEnumerable();

        using var document = new MemoryStream();
        try
        {
            CaseFileFonts.EnsureInstalled(configuration[CaseFileFonts.ConfigurationKey]);
            await CaseFilePdf.WriteAsync(contents, timeline, document, labels, text, cancellationToken);
        }
        catch (CaseFileFontMissingException)
        {
            ModelState.AddModelError("", text["The Korean font for the case file is not installed on the server. Tell the system administrator (fonts-nanum)."]);
            return Page();
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(document.GetBuffer().AsSpan(0, (int)document.Length)));
        Case.RecordCaseFileExport(hash, access.StaffId, now);
        await db.SaveChangesAsync(cancellationToken);

        Response.Headers.CacheControl = "no-store";
        return File(document.ToArray(), "application/pdf", $"{Case.Reference}.pdf");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        // Tracked, without the timeline: the export's own event is the only change.
        Case = await CaseFiles.LoadAsync(db, access.CaseId, cancellationToken, forChange: true, withTimeline: false);
        var earlier = await db.TimelineEvents.AsNoTracking()
            .Where(e => e.CaseId == access.CaseId && e.Kind == TimelineEventKind.CaseFileExported)
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Take(20)
            .Select(e => new { e.OccurredAt, e.StaffId, e.Detail }).ToListAsync(cancellationToken);
        var names = await CaseFiles.FirstNamesAsync(db, earlier.Select(e => e.StaffId), cancellationToken);
        Earlier = earlier.Select(e => (e.OccurredAt, e.StaffId is { } id ? names.GetValueOrDefault(id, "") : "", (e.Detail ?? "").Replace("sha256:", "", StringComparison.Ordinal))).ToList();
    }

    private static string Refusal(string rule) => rule switch
    {
        "case-file.erased" => "The victim's personal data was erased: there is no file to give.",
        _ => "The victim has not consented to investigation or legal support. The file leaves the portal only with that consent.",
    };
}
