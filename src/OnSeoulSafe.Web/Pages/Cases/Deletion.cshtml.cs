using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Pages.Shared;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>
/// The deletion ledger of one case: every link from "found" to "verified gone", and the companion's actions on it.
/// Access was decided (and logged) by the case access filter; each action saves its change with that log row.
/// </summary>
public sealed class DeletionModel(PortalDbContext db, CaseAccessContext access, ContentLedger ledger, EvidenceHashes evidenceHashes, TimeProvider clock, IStringLocalizer<DeletionText> text, IStringLocalizer<WorkText> work) : PageModel
{
    public const int LinksMax = 50;

    public Case Case { get; private set; } = null!;
    public IReadOnlyList<LedgerRow> Rows { get; private set; } = [];
    public ILookup<long, ContentItemEvent> History { get; private set; } = Array.Empty<ContentItemEvent>().ToLookup(e => e.ContentItemId);
    public IReadOnlyList<HashMatch> HashMatches { get; private set; } = [];
    public IReadOnlyList<Platform> Platforms { get; private set; } = [];

    /// <summary>Request texts of the links just requested (by <see cref="Sent"/>), in <see cref="TextLanguage"/>.</summary>
    public IReadOnlyList<PlatformRequest> SentRequests { get; private set; } = [];

    [BindProperty]
    public AddInput Add { get; set; } = new();

    [BindProperty]
    public List<long> Selected { get; set; } = [];

    /// <summary>Fingerprints of a file the victim showed the companion, computed in the companion's browser: never the file.</summary>
    [BindProperty]
    public List<SubmittedHash> Evidence { get; set; } = [];

    /// <summary>The case's hash bank as the ledger shows it: kind, quality, who gave it; never a picture.</summary>
    public IReadOnlyList<BankLine> Bank { get; private set; } = [];

    /// <summary>Language of the request text: the staff member's by default, switchable per request.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Lang { get; set; }

    /// <summary>Ids of the links just requested, so the page can show their request text again (in either language).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Sent { get; set; }

    public string TextLanguage => Lang is DeletionRequestText.Korean or DeletionRequestText.English ? Lang : PortalLocalization.CurrentLanguage;

    public string Reference => access.Reference.ToLowerInvariant();

    public async Task OnGetAsync()
    {
        await LoadAsync();
        SentRequests = await SentRequestsAsync(ParseIds(Sent));
    }

    public async Task<IActionResult> OnPostAddAsync()
    {
        await LoadAsync();
        var lines = (Add.Links ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (!ModelState.AddErrors(new AddValidator(text).Validate(Add), nameof(Add)))
        {
            return Page();
        }
        if (!Case.IsOpen)
        {
            ModelState.AddModelError("Add.Links", text["This case is closed. Reopen it before adding links."]);
            return Page();
        }
        var result = await ledger.AddLinksAsync(Case, lines.Select(l => new NewLink(l, Add.Kind!.Value)).ToList(), ContentFinder.Companion, access.StaffId, HttpContext.RequestAborted);
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Done"] = (result.AddedCount, result.MergedCount) switch
        {
            (_, 0) => text["{0} link(s) added.", result.AddedCount].Value,
            (0, _) => text["No new links: {0} were already on the case.", result.MergedCount].Value,
            _ => text["{0} link(s) added, {1} already on the case (kept once).", result.AddedCount, result.MergedCount].Value,
        };
        return Back();
    }

    public async Task<IActionResult> OnPostEvidenceAsync()
    {
        await LoadAsync();
        var error = !Case.IsOpen ? text["This case is closed. Reopen it before adding links."].Value
            : Evidence.Count == 0 ? text["Choose a file to fingerprint first."].Value
            : !EvidenceHashes.AreAcceptable(Evidence) ? text["Only a file's fingerprint (SHA-256) can be sent, never the file."].Value
            : null;
        if (error is not null)
        {
            ModelState.AddModelError(nameof(Evidence), error);
            Evidence = EvidenceHashes.Acceptable(Evidence);
            return Page();
        }
        var result = await evidenceHashes.AddAsync(access.CaseId, Evidence, HashSupplier.Companion, HttpContext.RequestAborted);
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Done"] = text["{0} file fingerprint(s) added, {1} already on the case.", result.Added, result.AlreadyKnown].Value;
        return Back();
    }

    public async Task<IActionResult> OnPostPlatformAsync(long itemId, int? platformId)
    {
        await LoadAsync();
        var key = $"Platform_{itemId.ToString(CultureInfo.InvariantCulture)}";
        var item = await db.ContentItems.SingleOrDefaultAsync(c => c.CaseId == access.CaseId && c.Id == itemId, HttpContext.RequestAborted);
        if (item is null || item.PlatformId is not null)
        {
            ModelState.AddModelError(string.Empty, text["This link already has a platform."]);
            return Page();
        }
        if (platformId is not { } chosen || Platforms.All(p => p.Id != chosen))
        {
            ModelState.AddModelError(key, text["Choose a platform from the list."]);
            return Page();
        }
        item.AssignPlatform(chosen);
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Done"] = text["Platform saved."].Value;
        return Back();
    }

    public async Task<IActionResult> OnPostRequestAsync(string? scope)
    {
        await LoadAsync();
        var all = scope == "all";
        var chosen = all ? Rows.Where(r => ContentLedger.Requestable.Contains(r.Status)).Select(r => r.Id).ToList() : Selected;
        if (!CanAct(chosen, ContentLedger.Requestable, text["Choose links that are found or reappeared."]))
        {
            return Page();
        }
        var withoutPlatform = Rows.Where(r => chosen.Contains(r.Id) && r.PlatformName is null).ToList();
        if (withoutPlatform.Count > 0)
        {
            ModelState.AddModelError(nameof(Selected), text["Choose a platform for {0} link(s) first (below the list).", withoutPlatform.Count]);
            return Page();
        }
        RequestBatch batch;
        try
        {
            batch = await ledger.RequestDeletionAsync(Case, chosen, TextLanguage, access.StaffId, HttpContext.RequestAborted);
        }
        catch (DomainRuleException)
        {
            ModelState.AddModelError(nameof(Selected), text["Choose links that are found or reappeared."]);
            return Page();
        }
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        var ids = batch.Requests.SelectMany(r => r.Items).Select(i => i.Id).ToList();
        TempData["Done"] = text["Deletion requested for {0} link(s). Send each text below through the platform's channel.", ids.Count].Value;
        return RedirectToPage(new { reference = Reference, sent = string.Join('.', ids), lang = TextLanguage });
    }

    public async Task<IActionResult> OnPostOutcomeAsync(ContentStatus? outcome)
    {
        await LoadAsync();
        if (outcome is not (ContentStatus.Deleted or ContentStatus.Refused or ContentStatus.NoResponse or ContentStatus.VerifiedGone))
        {
            ModelState.AddModelError(nameof(Selected), text["Choose what the platform answered."]);
            return Page();
        }
        if (outcome == ContentStatus.VerifiedGone)
        {
            // Checked by hand: any link a request was made for, answered or not.
            if (!CanAct(Selected, CheckableByHand, work["Choose links a deletion request was made for."])) return Page();
            try
            {
                foreach (var id in Selected.Distinct())
                {
                    await ledger.ConfirmGoneByHandAsync(Case, id, access.StaffId, HttpContext.RequestAborted);
                }
            }
            catch (DomainRuleException)
            {
                ModelState.AddModelError(nameof(Selected), work["Choose links a deletion request was made for."]);
                return Page();
            }
            await db.SaveChangesAsync(HttpContext.RequestAborted);
            TempData["Done"] = work["{0} link(s) verified gone by hand.", Selected.Distinct().Count()].Value;
            return Back();
        }
        if (!CanAct(Selected, [ContentStatus.Requested], text["Choose links with an open deletion request."]))
        {
            return Page();
        }
        int changed;
        try
        {
            changed = outcome == ContentStatus.Deleted
                ? await ledger.MarkDeletedAsync(Case, Selected, access.StaffId, HttpContext.RequestAborted)
                : await RecordEachAsync(outcome.Value);
        }
        catch (DomainRuleException)
        {
            ModelState.AddModelError(nameof(Selected), text["Choose links with an open deletion request."]);
            return Page();
        }
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Done"] = text["{0} link(s) marked: {1}.", changed, text[Shared.DeletionLabels.Of(outcome.Value)]].Value;
        return Back();
    }

    /// <summary>Links someone may find gone by hand: a request was made and the content is not yet known gone.</summary>
    public static readonly IReadOnlyList<ContentStatus> CheckableByHand =
        [ContentStatus.Requested, ContentStatus.Deleted, ContentStatus.Refused, ContentStatus.NoResponse];

    private async Task<int> RecordEachAsync(ContentStatus outcome)
    {
        foreach (var id in Selected.Distinct())
        {
            await ledger.RecordOutcomeAsync(Case, id, outcome, access.StaffId, HttpContext.RequestAborted);
        }
        return Selected.Distinct().Count();
    }

    /// <summary>Checks a selection: the case is open, something is chosen, and every chosen link is on this case in an allowed status.</summary>
    private bool CanAct(List<long> chosen, IReadOnlyCollection<ContentStatus> allowed, string wrongStatus)
    {
        var error = !Case.IsOpen ? text["This case is closed. Reopen it before changing links."].Value
            : chosen.Count == 0 ? text["Choose at least one link."].Value
            : chosen.Any(id => Rows.FirstOrDefault(r => r.Id == id) is not { } row || !allowed.Contains(row.Status)) ? wrongStatus
            : null;
        if (error is null) return true;
        ModelState.AddModelError(nameof(Selected), error);
        return false;
    }

    private RedirectToPageResult Back() => RedirectToPage(new { reference = Reference });

    private async Task LoadAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        Case = await db.Cases.AsSplitQuery().Include(c => c.Victim).Include(c => c.Consents).SingleAsync(c => c.Id == access.CaseId, cancellationToken);
        Rows = await ledger.LedgerAsync(access.CaseId, cancellationToken);
        var ids = Rows.Select(r => r.Id).ToList();
        History = (await db.ContentItemEvents.AsNoTracking().Where(e => ids.Contains(e.ContentItemId)).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(cancellationToken))
            .ToLookup(e => e.ContentItemId);
        HashMatches = await ledger.HashMatchesAsync(access.CaseId, cancellationToken);
        Bank = await HashBank.LinesAsync(db, access.CaseId, cancellationToken);
        Platforms = await db.Platforms.AsNoTracking().Where(p => p.IsActive).OrderBy(p => p.Name).ToListAsync(cancellationToken);
    }

    /// <summary>The text of the open requests of the given links, composed again in the chosen language.</summary>
    private async Task<IReadOnlyList<PlatformRequest>> SentRequestsAsync(List<long> ids)
    {
        if (ids.Count == 0) return [];
        var items = await db.ContentItems.AsNoTracking().Include(c => c.Platform).Include(c => c.Requests)
            .Where(c => c.CaseId == access.CaseId && ids.Contains(c.Id) && c.Status == ContentStatus.Requested && c.Platform != null)
            .OrderBy(c => c.Id)
            .ToListAsync(HttpContext.RequestAborted);
        return items.GroupBy(i => i.PlatformId)
            .Select(g =>
            {
                var platform = g.First().Platform!;
                var requestedOn = g.Select(i => i.OpenRequest?.RequestedAt ?? clock.GetUtcNow()).Max();
                var body = DeletionRequestText.Compose(platform, TextLanguage, Case.Reference, g.Select(i => i.Url).ToList(),
                    DateOnly.FromDateTime(requestedOn.UtcDateTime), Case.IsMinor || g.Any(i => i.IsMinor), Case.NameForDeletionRequests);
                return new PlatformRequest(platform, g.ToList(), body);
            })
            .ToList();
    }

    private static List<long> ParseIds(string? value) =>
        (value ?? "").Split('.', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0).Distinct().Take(LinksMax * 4).ToList();

    public bool IsSelected(long id) => Selected.Contains(id);

    public sealed record AddInput
    {
        public string? Links { get; set; }
        public ContentKind? Kind { get; set; } = ContentKind.Other;
    }

    private sealed class AddValidator : AbstractValidator<AddInput>
    {
        public AddValidator(IStringLocalizer<DeletionText> text)
        {
            RuleFor(i => i.Links).Must(l => Lines(l).Length > 0).WithMessage(text["Enter at least one web address, one per line."]);
            RuleFor(i => i.Links).Must(l => Lines(l).Length <= LinksMax).WithMessage(text["Add at most {0} links at a time.", LinksMax]);
            RuleFor(i => i.Links).Must(l => Lines(l).All(x => ContentLinks.Normalise(x) is not null))
                .WithMessage(i => text["This is not a web address starting with http:// or https://: {0}", Lines(i.Links).First(x => ContentLinks.Normalise(x) is null)]);
            RuleFor(i => i.Kind).NotNull().Must(k => k is null || Enum.IsDefined(k.Value)).WithMessage(text["Choose what kind of content it is."]);
        }

        private static string[] Lines(string? value) => (value ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }
}
