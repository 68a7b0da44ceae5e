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

    /// <summary>What the page shows of the case, read with one batch (<see cref="CaseFileView"/>).</summary>
    public CaseFileView Case { get; private set; } = null!;

    /// <summary>The events shown, newest first.</summary>
    public IReadOnlyList<CaseFileView.EventShown> Timeline => Case.Timeline;

    public TimelineCounts TimelineCounts => Case.TimelineCounts;

    public bool AllEventsShown => Timeline.Count >= TimelineCounts.Total;

    public SafeContactPanel SafeContact { get; private set; } = null!;

    /// <summary>A minor's guardians as she described them; read only for a minor's file (an adult's costs no query).</summary>
    public IReadOnlyList<Guardian> Guardians { get; private set; } = [];

    /// <summary>The center's practice for minors, read only for a minor's file.</summary>
    public IReadOnlyList<MinorPractice> MinorsPractice { get; private set; } = [];
    public bool IsAssignedToMe => access.IsAssignedToMe;

    /// <summary>Requests for a new access code waiting for a decision (<see cref="RecoveryModel"/>).</summary>
    public int WaitingCodeRecoveries => Case.WaitingCodeRecoveries;
    public DateTimeOffset Now { get; private set; }

    /// <summary>The victim's messages the assigned companion had not seen before this view.</summary>
    public IReadOnlySet<long> Unread { get; private set; } = new HashSet<long>();

    /// <summary>Unread messages from the victim that contain a crisis word (<see cref="Message.SoundsLikeCrisis"/>).</summary>
    public IReadOnlyList<CaseFileView.MessageShown> CrisisMessages { get; private set; } = [];

    [BindProperty]
    public MessageInput Reply { get; set; } = new();

    /// <param name="timeline"><c>all</c> shows every timeline event.</param>
    public async Task OnGetAsync(string? timeline)
    {
        await LoadAsync(allEvents: timeline == "all");
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
            await LoadAsync();
            return Page();
        }
        // A change reads the whole file: the domain decides on every event.
        var file = await CaseFiles.LoadAsync(db, access.CaseId, HttpContext.RequestAborted);
        try
        {
            file.PostMessage(MessageSender.Staff, access.StaffId, Reply.Body!.Trim(), clock.GetUtcNow());
        }
        catch (DomainRuleException refusal)
        {
            ModelState.AddModelError("Reply.Body", text[CaseLabels.Rule(refusal.Rule)]);
            // The refused change is never saved; the page is read as for a view.
            await LoadAsync();
            return Page();
        }
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Done"] = text["Message sent."].Value;
        return RedirectToPage(new { reference = access.Reference.ToLowerInvariant() });
    }

    private async Task LoadAsync(bool allEvents = false)
    {
        var cancellationToken = HttpContext.RequestAborted;
        Now = clock.GetUtcNow();
        // The request's access-log row is written by the read's own batch (unless it was already written).
        var logRow = access.LogRow is { Id: 0 } row ? row : null;
        Case = await CaseFileView.ReadAsync(db, access.CaseId, allEvents ? null : NewestEventsShown, Now, logRow, cancellationToken);
        SafeContact = new SafeContactPanel(Case.SafeContact, Now);
        if (Case.IsMinor)
        {
            Guardians = await db.Set<Guardian>().AsNoTracking().Where(g => g.CaseId == Case.Id).ToListAsync(cancellationToken);
            MinorsPractice = await db.MinorsPractice.AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        }
        var unread = Case.Messages.Where(m => m.Sender == MessageSender.Victim && m.ReadAt is null).ToList();
        Unread = unread.Select(m => m.Id).ToHashSet();
        CrisisMessages = unread.Where(m => m.SoundsLikeCrisis).ToList();
    }

    public string NameOf(Guid? staffId) => staffId is { } id && Case.StaffNames.TryGetValue(id, out var name) ? name : "";

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
