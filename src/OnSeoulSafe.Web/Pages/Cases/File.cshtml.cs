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

/// <summary>The shared case file. Access was decided (and logged) by the case access filter before this runs.</summary>
public sealed class FileModel(PortalDbContext db, CaseAccessContext access, TimeProvider clock, IStringLocalizer<CasesText> text) : PageModel
{
    /// <summary>
    /// The file shows this many timeline events, newest first, unless all are asked for: a file with hundreds of
    /// events stays quick to open and to scroll on a phone, and what happened last is what a companion looks for.
    /// </summary>
    public const int NewestEventsShown = 50;

    public Case Case { get; private set; } = null!;

    /// <summary>The events shown, newest first.</summary>
    public IReadOnlyList<TimelineEvent> Timeline { get; private set; } = [];

    public TimelineCounts TimelineCounts { get; private set; } = null!;

    public bool AllEventsShown { get; private set; }

    public Dictionary<Guid, string> StaffNames { get; private set; } = [];
    public Dictionary<int, string> PartnerNames { get; private set; } = [];
    public SafeContactPanel SafeContact { get; private set; } = null!;

    /// <summary>A minor's guardians as she described them; read only for a minor's file (an adult's costs no query).</summary>
    public IReadOnlyList<Guardian> Guardians { get; private set; } = [];

    /// <summary>The center's practice for minors, read only for a minor's file.</summary>
    public IReadOnlyList<MinorPractice> MinorsPractice { get; private set; } = [];
    public bool IsAssignedToMe => access.IsAssignedToMe;

    /// <summary>Requests for a new access code waiting for a decision (<see cref="RecoveryModel"/>).</summary>
    public int WaitingCodeRecoveries { get; private set; }
    public DateTimeOffset Now { get; private set; }

    /// <summary>The victim's messages the assigned companion had not seen before this view.</summary>
    public IReadOnlySet<long> Unread { get; private set; } = new HashSet<long>();

    /// <summary>Unread messages from the victim that contain a crisis word (<see cref="Message.SoundsLikeCrisis"/>).</summary>
    public IReadOnlyList<Message> CrisisMessages { get; private set; } = [];

    [BindProperty]
    public MessageInput Reply { get; set; } = new();

    /// <param name="timeline"><c>all</c> shows every timeline event.</param>
    public async Task OnGetAsync(string? timeline)
    {
        await LoadAsync(forChange: false, allEvents: timeline == "all");
        if (access.IsAssignedToMe && Unread.Count > 0)
        {
            // Seen by the companion now: the list stops counting them. A manager who broke the glass leaves them unread.
            var ids = Unread.ToList();
            await db.Messages.Where(m => ids.Contains(m.Id) && m.ReadAt == null)
                .ExecuteUpdateAsync(m => m.SetProperty(x => x.ReadAt, Now), HttpContext.RequestAborted);
        }
    }

    public async Task<IActionResult> OnPostMessageAsync()
    {
        if (!ModelState.AddErrors(new MessageValidator(text).Validate(Reply), "Reply"))
        {
            await LoadAsync(forChange: false);
            return Page();
        }
        await LoadAsync();
        try
        {
            Case.PostMessage(MessageSender.Staff, access.StaffId, Reply.Body!.Trim(), clock.GetUtcNow());
        }
        catch (DomainRuleException refusal)
        {
            ModelState.AddModelError("Reply.Body", text[CaseLabels.Rule(refusal.Rule)]);
            return Page();
        }
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Done"] = text["Message sent."].Value;
        return RedirectToPage(new { reference = access.Reference.ToLowerInvariant() });
    }

    private async Task LoadAsync(bool forChange = true, bool allEvents = false)
    {
        var cancellationToken = HttpContext.RequestAborted;
        Now = clock.GetUtcNow();
        // A change reads the whole file (the domain sees every event); a view reads only the events it shows.
        Case = await CaseFiles.LoadAsync(db, access.CaseId, cancellationToken, forChange, withTimeline: forChange);
        var shown = allEvents ? (int?)null : NewestEventsShown;
        Timeline = forChange
            ? Case.Timeline.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Take(shown ?? int.MaxValue).ToList()
            : await CaseFiles.NewestEventsAsync(db, access.CaseId, shown, cancellationToken);
        TimelineCounts = await CaseFiles.TimelineCountsAsync(db, access.CaseId, cancellationToken);
        AllEventsShown = Timeline.Count >= TimelineCounts.Total;
        StaffNames = await CaseFiles.FirstNamesAsync(db,
            Timeline.Select(e => e.StaffId).Concat(Case.Messages.Select(m => m.StaffId)).Concat(Case.Tracks.Select(t => t.ResponsibleStaffId))
                .Concat(Case.Amendments.Select(a => a.StaffId))
                .Concat(Case.Consents.Select(c => c.VerballyToStaffId)).Append(Case.IntakeStaffId),
            cancellationToken);
        PartnerNames = await CaseFiles.PartnerNamesAsync(db, Case.Consents.Select(c => c.PartnerInstitutionId), cancellationToken);
        SafeContact = new SafeContactPanel(Case.SafeContact, Now);
        if (Case.IsMinor)
        {
            Guardians = await db.Set<Guardian>().AsNoTracking().Where(g => g.CaseId == Case.Id).ToListAsync(cancellationToken);
            MinorsPractice = await db.MinorsPractice.AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        }
        var unread = Case.Messages.Where(m => m.Sender == MessageSender.Victim && m.ReadAt is null).ToList();
        Unread = unread.Select(m => m.Id).ToHashSet();
        CrisisMessages = unread.Where(m => m.SoundsLikeCrisis).ToList();
        var since = Now - CodeRecovery.RequestLifetime;
        WaitingCodeRecoveries = await db.CodeRecoveries.CountAsync(
            r => r.CaseId == access.CaseId && r.Status == CodeRecoveryStatus.Requested && r.RequestedAt > since, cancellationToken);
    }

    public string NameOf(Guid? staffId) => staffId is { } id && StaffNames.TryGetValue(id, out var name) ? name : "";

    public sealed record MessageInput
    {
        public string? Body { get; set; }
    }

    private sealed class MessageValidator : AbstractValidator<MessageInput>
    {
        public MessageValidator(IStringLocalizer<CasesText> text)
        {
            RuleFor(i => i.Body).NotEmpty().WithMessage(text["Write a message."])
                .MaximumTextLength(4000).WithMessage(text["A message can be at most 4,000 characters."]);
        }
    }
}
