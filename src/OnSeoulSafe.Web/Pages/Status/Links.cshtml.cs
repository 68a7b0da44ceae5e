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
        var typed = lines.Select(ContentLinks.Normalise).OfType<string>().ToList();
        foreach (var link in typed.Distinct())
        {
            var fingerprint = fingerprints.ContentUrl(link);
            if (known.Any(k => k.AsSpan().SequenceEqual(fingerprint))) continue;
            var platform = platforms.FirstOrDefault(p => p.Matches(ContentLinks.Host(link)));
            db.ContentItems.Add(new ContentItem(@case.Id, link, fingerprint, platform?.Id, ContentKind.Other, ContentFinder.Victim, @case.IsMinor, now));
            added++;
        }
        var hashes = await evidenceHashes.AddAsync(@case.Id, Evidence, HashSupplier.Victim, HttpContext.RequestAborted);
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        // Each sentence only when it has something to say (typed twice or already on the case counts as given): never "0 new links" or "0 were already given".
        var notice = (added, hashes.Added) switch
        {
            ( > 0, > 0) => text["{0} new link(s) and {1} file fingerprint(s) added.", added, hashes.Added].Value,
            ( > 0, _) => text["{0} new link(s) added.", added].Value,
            (_, > 0) => text["{0} file fingerprint(s) added.", hashes.Added].Value,
            _ => text["Nothing new was added."].Value,
        };
        if (typed.Count - added + hashes.AlreadyKnown > 0) notice += " " + text["What you had already given is kept once."].Value;
        TempData["Notice"] = notice;
        return RedirectToPage("/Status/Case");
    }

    private bool EvidenceIsValid() => EvidenceHashes.AreAcceptable(Evidence);
}
