using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Pages.Report;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Status;

/// <summary>How and when the victim may be reached; staff see this before any contact.</summary>
public sealed class ContactModel(PortalDbContext db, VictimCase victimCase, TimeProvider clock, IStringLocalizer<StatusText> text, IStringLocalizer<ReportText> reportText) : PageModel
{
    /// <summary>The intake's contact fields, checked by the intake's own rules.</summary>
    [BindProperty]
    public ReportInput Input { get; set; } = new();

    /// <summary>Whether a reminder by text or e-mail may name the center (otherwise it names no one).</summary>
    [BindProperty]
    public bool NameTheCenter { get; set; }

    public async Task OnGetAsync()
    {
        var contact = (await victimCase.LoadAsync(q => q, "Status/Contact", HttpContext.RequestAborted)).SafeContact;
        Input = new ReportInput
        {
            Channel = contact.Channel,
            Phone = contact.PhoneNumber,
            Email = contact.Email,
            SafeFrom = contact.SafeFrom,
            SafeUntil = contact.SafeUntil,
            VoicemailSafe = contact.VoicemailSafe,
            SafeWord = contact.SafeWord,
        };
        NameTheCenter = contact.NameTheCenter;
        await victimCase.SaveViewAsync(HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var @case = await victimCase.LoadAsync(q => q, "Status/Contact", HttpContext.RequestAborted);
        var valid = ModelState.AddErrors(ReportValidator.For(reportText).Validate(Input, o => o.IncludeRuleSets(ReportValidator.Contact)));
        if (!valid || !@case.IsOpen)
        {
            if (valid) ModelState.AddModelError(string.Empty, text["This case is closed. Please report again if you need help."]);
            await victimCase.SaveViewAsync(HttpContext.RequestAborted);
            return Page();
        }
        @case.ChangeSafeContact(
            new SafeContact(Input.Channel, TextInput.Clean(Input.Phone), TextInput.Clean(Input.Email), Input.SafeFrom, Input.SafeUntil, Input.VoicemailSafe, TextInput.Clean(Input.SafeWord))
            {
                NameTheCenter = NameTheCenter,
            },
            clock.GetUtcNow());
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Notice"] = text["Your contact preferences were saved."].Value;
        return RedirectToPage("/Status/Case");
    }
}
