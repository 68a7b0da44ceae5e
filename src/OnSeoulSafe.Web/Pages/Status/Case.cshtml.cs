using FluentValidation;
using Microsoft.AspNetCore.Authentication;
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
public sealed class CaseModel(PortalDbContext db, VictimCase victimCase, TimeProvider clock, IStringLocalizer<StatusText> text) : PageModel
{
    public const int MessageMax = 5000;

    public Case Current { get; private set; } = null!;
    public string? CompanionFirstName { get; private set; }
    public IReadOnlyList<TimelineEvent> Appointments { get; private set; } = [];
    public IReadOnlyList<(Message Message, string? Author)> Conversation { get; private set; } = [];
    public IReadOnlyList<CaseReader> Readers { get; private set; } = [];
    public IReadOnlyList<ContentItem> Links { get; private set; } = [];

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

    public async Task<IActionResult> OnPostLeaveAsync()
    {
        await HttpContext.SignOutAsync(VictimAccess.Scheme);
        return RedirectToPage("/Index");
    }

    private async Task LoadAsync()
    {
        Current = await victimCase.LoadAsync(q => q
            .Include(c => c.Tracks)
            .Include(c => c.Messages.OrderBy(m => m.SentAt))
            .Include(c => c.AssignedCompanion), "Status/Case", HttpContext.RequestAborted);
        CompanionFirstName = Current.AssignedCompanion?.FirstName;
        var now = clock.GetUtcNow();
        Appointments = await db.TimelineEvents.AsNoTracking()
            .Where(e => e.CaseId == Current.Id && e.Kind == TimelineEventKind.Appointment && e.OccurredAt >= now)
            .OrderBy(e => e.OccurredAt).Take(5).ToListAsync(HttpContext.RequestAborted);
        var staffIds = Current.Messages.Where(m => m.StaffId != null).Select(m => m.StaffId!.Value).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => staffIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.FirstName, HttpContext.RequestAborted);
        Conversation = Current.Messages.Select(m => (m, m.StaffId is { } id ? names.GetValueOrDefault(id) : null)).ToList();
        Readers = await CaseReaders.ForCaseAsync(db, Current.Id, HttpContext.RequestAborted, limit: 30);
        Links = await db.ContentItems.AsNoTracking().Where(i => i.CaseId == Current.Id).OrderBy(i => i.FirstSeenAt).ToListAsync(HttpContext.RequestAborted);
    }
}
