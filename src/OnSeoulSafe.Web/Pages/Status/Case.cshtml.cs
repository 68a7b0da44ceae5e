using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Status;

/// <summary>The victim's view of their case: progress, appointments, messages, and who opened the file.</summary>
public sealed class CaseModel(PortalDbContext db, VictimCase victimCase, TimeProvider clock, IStringLocalizer<StatusText> text, IStringLocalizer<DomainText> domainText) : PageModel
{
    public const int MessageMax = 5000;

    /// <summary>Planned dates shown at most; a victim's schedule is a handful of dates, this only bounds the page.</summary>
    public const int AppointmentsShown = 100;

    /// <summary>Days of "who opened my file" shown, newest first (one line per person and day).</summary>
    public const int ReaderDaysShown = 30;

    public Case Current { get; private set; } = null!;
    public string? CompanionFirstName { get; private set; }
    public IReadOnlyList<TimelineEvent> Appointments { get; private set; } = [];
    public IReadOnlyList<(Message Message, string? Author)> Conversation { get; private set; } = [];
    public IReadOnlyList<CaseReadsOfDay> Readers { get; private set; } = [];
    public IReadOnlyList<ContentItem> Links { get; private set; } = [];

    /// <summary>Per link, the dated notice and escalation steps she may see (notes such as <c>ladder:SecondNotice</c>).</summary>
    public ILookup<long, ContentItemEvent> LinkSteps { get; private set; } = Array.Empty<ContentItemEvent>().ToLookup(e => e.ContentItemId);

    [BindProperty]
    public string? NewMessage { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync()
    {
        await LoadAsync();
        var now = clock.GetUtcNow();
        foreach (var message in Current.Messages.Where(m => m.Sender == MessageSender.Staff))
        {
            message.MarkRead(now);
        }
        await victimCase.SaveViewAsync(HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostMessageAsync()
    {
        var result = new InlineValidator<string?>
        {
            v => v.RuleFor(m => m).NotEmpty().WithMessage(text["Write a message first."])
                .MaximumTextLength(MessageMax).WithMessage(text["Please keep a message under {0} characters.", MessageMax]),
        }.Validate(NewMessage ?? "");
        await LoadAsync();
        if (!result.IsValid)
        {
            ModelState.AddModelError(nameof(NewMessage), result.Errors[0].ErrorMessage);
            await victimCase.SaveViewAsync(HttpContext.RequestAborted);
            return Page();
        }
        try
        {
            Current.PostMessage(MessageSender.Victim, null, TextInput.Clean(NewMessage)!, clock.GetUtcNow());
        }
        catch (DomainRuleException)
        {
            ModelState.AddModelError(nameof(NewMessage), text["This case is closed, so messages can no longer be sent here. Please report again if you need help."]);
            await victimCase.SaveViewAsync(HttpContext.RequestAborted);
            return Page();
        }
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        Notice = text["Your message was sent."];
        return RedirectToPage();
    }

    /// <summary>Leaving ends the session on the server, like the quick exit: a copy of the cookie stops working too.</summary>
    public async Task<IActionResult> OnPostLeaveAsync()
    {
        await VictimAccess.EndSessionAsync(HttpContext);
        return RedirectToPage("/Index");
    }

    /// <summary>
    /// Where a service stands, as she should read it: one she never agreed to is not "in progress", one she withdrew
    /// from is not "not started"; a completed service stays completed.
    /// </summary>
    public string ProgressOf(ServiceTrack track) =>
        track.Status == TrackStatus.Completed ? domainText.Label(track.Status)
        : Current.ConsentStateOf(track.Kind) switch
        {
            ConsentState.NeverGiven => text["Not agreed"],
            ConsentState.Withdrawn => text["Consent withdrawn"],
            _ => domainText.Label(track.Status),
        };

    /// <summary>What kind of planned date it is, in her words.</summary>
    public string KindOf(TimelineEvent planned) => text[planned.Kind switch
    {
        TimelineEventKind.Accompaniment => "We go with you",
        TimelineEventKind.HomeVisit => "Home visit",
        TimelineEventKind.Call => "Phone call",
        _ => "Appointment",
    }];

    private async Task LoadAsync()
    {
        Current = await victimCase.LoadAsync(q => q
            .Include(c => c.Tracks)
            .Include(c => c.Consents)
            .Include(c => c.Messages.OrderBy(m => m.SentAt))
            .Include(c => c.AssignedCompanion), "Status/Case", HttpContext.RequestAborted);
        CompanionFirstName = Current.AssignedCompanion?.FirstName;
        var now = clock.GetUtcNow();
        // Every planned date with her, whatever the companion logged it as: appointments, accompaniments, home visits, calls.
        Appointments = await db.TimelineEvents.AsNoTracking()
            .Where(e => e.CaseId == Current.Id && TimelineEvent.WithTheVictim.Contains(e.Kind) && e.OccurredAt >= now)
            .OrderBy(e => e.OccurredAt).Take(AppointmentsShown).ToListAsync(HttpContext.RequestAborted);
        var staffIds = Current.Messages.Where(m => m.StaffId != null).Select(m => m.StaffId!.Value).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => staffIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.FirstName, HttpContext.RequestAborted);
        Conversation = Current.Messages.Select(m => (m, m.StaffId is { } id ? names.GetValueOrDefault(id) : null)).ToList();
        Readers = await CaseReaders.ByDayAsync(db, Current.Id, HttpContext.RequestAborted, limit: ReaderDaysShown);
        // An erased link keeps its ledger row for the statistics, without its address: nothing to show her. The address
        // is encrypted at rest, so the empty ones are left out here rather than in SQL.
        Links = (await db.ContentItems.AsNoTracking().Include(i => i.Requests).Where(i => i.CaseId == Current.Id).OrderBy(i => i.FirstSeenAt).ToListAsync(HttpContext.RequestAborted))
            .Where(i => i.Url.Length > 0).ToList();
        var linkIds = Links.Select(l => l.Id).ToList();
        LinkSteps = (await db.ContentItemEvents.AsNoTracking()
            .Where(e => linkIds.Contains(e.ContentItemId) && e.Note != null && (e.Note.StartsWith("ladder:") || e.Note.EndsWith(":sent") || e.Note.EndsWith(":answered")))
            .OrderBy(e => e.At).ThenBy(e => e.Id)
            .ToListAsync(HttpContext.RequestAborted))
            .ToLookup(e => e.ContentItemId);
    }

    /// <summary>
    /// When the latest request ended in a deletion (the platform's answer, or the re-check finding the link gone); null
    /// when the link is online again or not removed yet.
    /// </summary>
    public static DateTimeOffset? DeletedAt(ContentItem link) =>
        link.Status is ContentStatus.Deleted or ContentStatus.VerifiedGone
            && link.Requests.MaxBy(r => r.RequestedAt) is { Outcome: ContentStatus.Deleted, ResolvedAt: { } at } ? at : null;

    /// <summary>When a re-check or a person verified the link gone after the latest request; null while it is not.</summary>
    public static DateTimeOffset? VerifiedGoneAt(ContentItem link) =>
        link.Status == ContentStatus.VerifiedGone ? link.Requests.MaxBy(r => r.RequestedAt)?.VerifiedGoneAt ?? link.StatusChangedAt : null;

    /// <summary>What a notice or escalation step says to her, or null for a step she is not shown.</summary>
    public static string? StepText(string? note) => note switch
    {
        "notice:First:sent" or "notice:First:answered" => "We sent the deletion request to the site on {0}.",
        "notice:Second:sent" or "notice:Second:answered" or "ladder:SecondNotice" => "The site did not delete it in time, so we asked again on {0}.",
        "ladder:RegulatorReport" => "The site still has not deleted it. From {0} we are preparing a report to the Korea Communications Standards Commission.",
        "ladder:RegulatorReported" => "We reported it to the Korea Communications Standards Commission on {0}.",
        "ladder:Investigation" => "On {0} we took it further through investigation support (the police).",
        _ => null,
    };
}
