using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Pages.Report;
using OnSeoulSafe.Web.Pages.Shared;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Status;

/// <summary>More links to content: each becomes an item for the deletion track; a link already on the case is not added twice.</summary>
[RequestSizeLimit(EvidenceForm.MaxBodyBytes), RequestFormLimits(ValueLengthLimit = EvidenceForm.MaxValueLength)]
public sealed class LinksModel(
    PortalDbContext db,
    VictimCase victimCase,
    Fingerprints fingerprints,
    EvidenceHashes evidenceHashes,
    TimeProvider clock,
    IStringLocalizer<StatusText> text,
    IStringLocalizer<ReportText> reportText) : PageModel
{
    [BindProperty]
    public string? Links { get; set; }

    /// <summary>Fingerprints of files the victim holds, computed in their browser: never the files.</summary>
    [BindProperty]
    public List<SubmittedHash> Evidence { get; set; } = [];

    public async Task OnGetAsync()
    {
        await victimCase.LoadAsync(q => q, "Status/Links", HttpContext.RequestAborted);
        await victimCase.SaveViewAsync(HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var @case = await victimCase.LoadAsync(q => q, "Status/Links", HttpContext.RequestAborted);
        var lines = new ReportInput { Links = Links }.LinkLines();
        var invalid = lines.FirstOrDefault(l => ContentLinks.Normalise(l) is null);
        if (!EvidenceIsValid())
        {
            ModelState.AddModelError(nameof(Evidence), text["Only a file's fingerprint (SHA-256) can be sent, never the file."].Value);
            Evidence = EvidenceHashes.Acceptable(Evidence);
            await victimCase.SaveViewAsync(HttpContext.RequestAborted);
            return Page();
        }
        var error = lines.Count == 0 && Evidence.Count == 0 ? text["Add at least one web address."].Value
            : lines.Count > ReportValidator.LinksMax ? reportText["You can add up to {0} links now, and more later.", ReportValidator.LinksMax].Value
            : invalid is not null ? reportText["This is not a web address starting with http:// or https://: {0}", invalid].Value
            : !@case.IsOpen ? text["This case is closed. Please report again if you need help."].Value
            : null;
        if (error is not null)
        {
            ModelState.AddModelError(nameof(Links), error);
            await victimCase.SaveViewAsync(HttpContext.RequestAborted);
            return Page();
        }
        var now = clock.GetUtcNow();
        var known = await db.ContentItems.Where(i => i.CaseId == @case.Id).Select(i => i.UrlFingerprint).ToListAsync(HttpContext.RequestAborted);
        var platforms = await db.Platforms.AsNoTracking().Where(p => p.IsActive).ToListAsync(HttpContext.RequestAborted);
        var added = 0;
        foreach (var link in lines.Select(ContentLinks.Normalise).OfType<string>().Distinct())
        {
            var fingerprint = fingerprints.ContentUrl(link);
            if (known.Any(k => k.AsSpan().SequenceEqual(fingerprint))) continue;
            var platform = platforms.FirstOrDefault(p => p.Matches(ContentLinks.Host(link)));
            db.ContentItems.Add(new ContentItem(@case.Id, link, fingerprint, platform?.Id, ContentKind.Other, ContentFinder.Victim, @case.IsMinor, now));
            added++;
        }
        var hashes = await evidenceHashes.AddAsync(@case.Id, Evidence, HashSupplier.Victim, HttpContext.RequestAborted);
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Notice"] = hashes.Added > 0
            ? text["{0} new link(s) and {1} file fingerprint(s) added. What you had already given is kept once.", added, hashes.Added].Value
            : text["{0} new link(s) added. Links you had already given are kept once.", added].Value;
        return RedirectToPage("/Status/Case");
    }

    private bool EvidenceIsValid() => EvidenceHashes.AreAcceptable(Evidence);
}
