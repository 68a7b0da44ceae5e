using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>One service track of a case: status, responsible person, activities and referrals.</summary>
public sealed class TrackModel(PortalDbContext db, CaseAccessContext access, TimeProvider clock, IStringLocalizer<CasesText> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Track { get; set; } = "";

    public ServiceTrackKind Kind { get; private set; }
    public Case Case { get; private set; } = null!;
    public ServiceTrack ServiceTrack { get; private set; } = null!;
    public SafeContactPanel SafeContact { get; private set; } = null!;
    public List<StaffOption> Staff { get; private set; } = [];
    public List<PartnerInstitution> Partners { get; private set; } = [];
    public Dictionary<Guid, string> StaffNames { get; private set; } = [];
    public bool HasTrackConsent { get; private set; }

    [BindProperty]
    public ActivityInput Activity { get; set; } = new();

    [BindProperty]
    public ReferralInput Referral { get; set; } = new();

    [BindProperty]
    public HandOverInput HandOver { get; set; } = new();

    public IEnumerable<TrackStatus> NextStatuses =>
        Enum.GetValues<TrackStatus>().Where(s => s != ServiceTrack.Status && ServiceTrack.CanMove(ServiceTrack.Status, s));

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostStatusAsync(TrackStatus? to)
    {
        if (!await LoadAsync()) return NotFound();
        if (to is not { } target)
        {
            ModelState.AddModelError(string.Empty, text["Choose the new status."]);
            return Page();
        }
        return await ApplyAsync(() => Case.ChangeTrackStatus(Kind, target, access.StaffId, clock.GetUtcNow()), string.Empty, text["Track updated."]);
    }

    public async Task<IActionResult> OnPostHandOverAsync()
    {
        if (!await LoadAsync()) return NotFound();
        var to = Staff.FirstOrDefault(s => s.Id == HandOver.StaffId);
        if (to is null)
        {
            ModelState.AddModelError("HandOver.StaffId", text["Choose a companion or manager."]);
            return Page();
        }
        var member = await db.Users.SingleAsync(u => u.Id == to.Id, HttpContext.RequestAborted);
        return await ApplyAsync(() => Case.HandOverTrack(Kind, member, access.StaffId, clock.GetUtcNow()), "HandOver.StaffId", text["Responsibility handed over."]);
    }

    public async Task<IActionResult> OnPostActivityAsync()
    {
        if (!await LoadAsync()) return NotFound();
        if (!ModelState.AddErrors(new ActivityValidator(text).Validate(Activity), nameof(Activity)))
        {
            return Page();
        }
        var kind = Activity.Kind!.Value;
        if (SafeContactPanel.ChannelOf(kind) is { } channel
            && Case.SafeContact.WarningsFor(channel, SafeContact.KoreaNow).Count > 0
            && !Activity.WarningsRead)
        {
            ModelState.AddModelError("Activity.WarningsRead", text["Read the safe-contact warnings above and confirm before logging contact."]);
            return Page();
        }
        var occurredAt = KoreaTime.FromKorea(Activity.OccurredAt!.Value);
        return await ApplyAsync(
            () => Case.LogActivity(Kind, kind, access.StaffId, occurredAt, Clean(Activity.Place), Activity.DurationMinutes, Clean(Activity.Note), clock.GetUtcNow()),
            "Activity.Kind",
            text["Activity logged."]);
    }

    public async Task<IActionResult> OnPostReferAsync()
    {
        if (!await LoadAsync()) return NotFound();
        var partner = Partners.FirstOrDefault(p => p.Id == Referral.PartnerId);
        if (partner is null)
        {
            ModelState.AddModelError("Referral.PartnerId", text["Choose a partner institution."]);
            return Page();
        }
        if (Referral.Note is { Length: > 2000 })
        {
            ModelState.AddModelError("Referral.Note", text["A note can be at most 2,000 characters."]);
            return Page();
        }
        return await ApplyAsync(() => Case.Refer(Kind, partner, access.StaffId, Clean(Referral.Note), clock.GetUtcNow()), "Referral.PartnerId", text["Referral sent."]);
    }

    private async Task<IActionResult> ApplyAsync(Action change, string errorKey, string done)
    {
        try
        {
            change();
        }
        catch (DomainRuleException refusal)
        {
            ModelState.AddModelError(refusal.Rule == "activity.before-case" ? "Activity.OccurredAt" : errorKey, text[CaseLabels.Rule(refusal.Rule)]);
            return Page();
        }
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Done"] = done;
        return RedirectToPage(new { reference = access.Reference.ToLowerInvariant(), track = Track });
    }

    private async Task<bool> LoadAsync()
    {
        if (!Enum.TryParse<ServiceTrackKind>(Track, ignoreCase: true, out var kind) || !Enum.IsDefined(kind)) return false;
        Kind = kind;
        var cancellationToken = HttpContext.RequestAborted;
        Case = await CaseFiles.LoadAsync(db, access.CaseId, cancellationToken);
        ServiceTrack = Case.Track(kind);
        SafeContact = new SafeContactPanel(Case.SafeContact, clock.GetUtcNow());
        // Hand-over candidates, lightest caseload first.
        Staff = (await CaseFiles.StaffInRolesAsync(db, [StaffRoles.Companion, StaffRoles.Manager], cancellationToken)).OrderBy(s => s.OpenCases).ToList();
        Partners = await db.PartnerInstitutions.Where(p => p.IsActive && p.Track == kind).OrderBy(p => p.Name).ToListAsync(cancellationToken);
        StaffNames = await CaseFiles.FirstNamesAsync(db, Case.Timeline.Select(e => e.StaffId).Append(ServiceTrack.ResponsibleStaffId), cancellationToken);
        HasTrackConsent = Case.HasConsent(kind);
        return true;
    }

    public string NameOf(Guid? staffId) => staffId is { } id && StaffNames.TryGetValue(id, out var name) ? name : "";

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public sealed record ActivityInput
    {
        public TimelineEventKind? Kind { get; set; }
        public DateTime? OccurredAt { get; set; }
        public string? Place { get; set; }
        public int? DurationMinutes { get; set; }
        public string? Note { get; set; }
        public bool WarningsRead { get; set; }
    }

    public sealed record ReferralInput
    {
        public int? PartnerId { get; set; }
        public string? Note { get; set; }
    }

    public sealed record HandOverInput
    {
        public Guid? StaffId { get; set; }
    }

    private sealed class ActivityValidator : AbstractValidator<ActivityInput>
    {
        public ActivityValidator(IStringLocalizer<CasesText> text)
        {
            RuleFor(i => i.Kind).NotNull().WithMessage(text["Choose the kind of activity."])
                .Must(k => k is null || CaseLabels.ActivityKinds.Contains(k.Value)).WithMessage(text["Choose the kind of activity."]);
            RuleFor(i => i.OccurredAt).NotNull().WithMessage(text["Enter the date and time."]);
            RuleFor(i => i.DurationMinutes).InclusiveBetween(0, 24 * 60).WithMessage(text["Duration must be between 0 and 24 hours."]);
            RuleFor(i => i.Place).MaximumLength(500).WithMessage(text["A place can be at most 500 characters."]);
            RuleFor(i => i.Note).MaximumTextLength(4000).WithMessage(text["A note can be at most 4,000 characters."]);
        }
    }
}
