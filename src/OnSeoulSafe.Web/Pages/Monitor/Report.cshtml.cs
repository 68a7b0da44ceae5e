using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Pages.Shared;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Monitor;

/// <summary>A citizen monitor reports suspected content: the link, the platform (chosen or matched), the kind, a note.</summary>
public sealed class ReportModel(
    PortalDbContext db,
    Fingerprints fingerprints,
    TimeProvider clock,
    UserManager<StaffMember> users,
    IStringLocalizer<DeletionText> text) : PageModel
{
    [BindProperty]
    public ReportInput Input { get; set; } = new();

    public IReadOnlyList<Platform> Platforms { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        await LoadAsync();
        if (!ModelState.AddErrors(new Validator(text, Platforms).Validate(Input)))
        {
            return Page();
        }
        var url = ContentLinks.Normalise(Input.Url)!;
        var platformId = Input.PlatformId ?? PlatformMatching.Find(Platforms, url)?.Id;
        var evidence = Input.Evidence.FirstOrDefault();
        var me = Guid.Parse(users.GetUserId(User)!);
        var now = clock.GetUtcNow();
        var report = new MonitorReport(me, url, fingerprints.ContentUrl(url), platformId, Input.Kind,
            string.IsNullOrWhiteSpace(Input.Note) ? null : Input.Note.Trim(), now, evidence?.Sha256?.ToLowerInvariant());
        db.MonitorReports.Add(report);
        // The copy's hashes go to the bank with the report; linking the report to a case brings them to that case.
        HashBank.AddForMonitorReport(db, report, evidence, now);
        await db.SaveChangesAsync(cancellationToken);
        TempData["Reported"] = true;
        return RedirectToPage("/Monitor/Index");
    }

    private async Task LoadAsync() =>
        Platforms = await db.Platforms.AsNoTracking().Where(p => p.IsActive).OrderBy(p => p.Name).ToListAsync(HttpContext.RequestAborted);

    public sealed record ReportInput
    {
        public string Url { get; set; } = "";

        /// <summary>Null: match the platform from the link's host.</summary>
        public int? PlatformId { get; set; }

        public ContentKind Kind { get; set; } = ContentKind.Video;
        public string? Note { get; set; }

        /// <summary>At most one fingerprint of a copy the monitor kept (hash-only: the file is never sent).</summary>
        public List<SubmittedHash> Evidence { get; set; } = [];
    }

    public sealed class Validator : AbstractValidator<ReportInput>
    {
        public const int NoteMaxLength = 2000;

        public Validator(IStringLocalizer<DeletionText> text, IReadOnlyList<Platform> platforms)
        {
            RuleFor(i => i.Url).NotEmpty().WithMessage(text["Enter the link to the content."]);
            RuleFor(i => i.Url).Must(u => ContentLinks.Normalise(u) is not null).When(i => !string.IsNullOrWhiteSpace(i.Url))
                .WithMessage(text["Enter a full web address starting with http:// or https://."]);
            RuleFor(i => i.PlatformId).Must(id => id is null || platforms.Any(p => p.Id == id))
                .WithMessage(text["Choose a platform from the list."]);
            RuleFor(i => i.Kind).IsInEnum().WithMessage(text["Choose what kind of content it is."]);
            RuleFor(i => i.Note).MaximumTextLength(NoteMaxLength).WithMessage(text["The note can be at most {0} characters.", NoteMaxLength]);
            RuleFor(i => i.Evidence).Must(e => e.Count <= 1).WithMessage(text["Add at most one file per link."])
                .Must(EvidenceHashes.AreAcceptable)
                .WithMessage(text["Only a file's fingerprint (SHA-256) can be sent, never the file."]);
        }
    }
}
