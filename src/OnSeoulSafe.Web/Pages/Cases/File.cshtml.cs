using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
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
    public Case Case { get; private set; } = null!;
    public Dictionary<Guid, string> StaffNames { get; private set; } = [];
    public Dictionary<int, string> PartnerNames { get; private set; } = [];
    public SafeContactPanel SafeContact { get; private set; } = null!;
    public bool IsAssignedToMe => access.IsAssignedToMe;
    public DateTimeOffset Now { get; private set; }

    [BindProperty]
    public MessageInput Reply { get; set; } = new();

    public async Task OnGetAsync() => await LoadAsync(forChange: false);

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

    private async Task LoadAsync(bool forChange = true)
    {
        var cancellationToken = HttpContext.RequestAborted;
        Now = clock.GetUtcNow();
        Case = await CaseFiles.LoadAsync(db, access.CaseId, cancellationToken, forChange);
        StaffNames = await CaseFiles.FirstNamesAsync(db,
            Case.Timeline.Select(e => e.StaffId).Concat(Case.Messages.Select(m => m.StaffId)).Concat(Case.Tracks.Select(t => t.ResponsibleStaffId))
                .Concat(Case.Amendments.Select(a => a.StaffId)),
            cancellationToken);
        PartnerNames = await CaseFiles.PartnerNamesAsync(db, Case.Consents.Select(c => c.PartnerInstitutionId), cancellationToken);
        SafeContact = new SafeContactPanel(Case.SafeContact, Now);
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
                .MaximumLength(4000).WithMessage(text["A message can be at most 4,000 characters."]);
        }
    }
}
