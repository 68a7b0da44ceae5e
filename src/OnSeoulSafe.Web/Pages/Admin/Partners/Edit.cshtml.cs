using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Admin.Partners;

public sealed class EditModel(PortalDbContext db, IStringLocalizer<PartnersText> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Id { get; set; }

    [BindProperty]
    public PartnerInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync()
    {
        if (Id is null)
        {
            Input = new PartnerInput { IsActive = true };
            return Page();
        }
        var partner = await db.PartnerInstitutions.AsNoTracking().SingleOrDefaultAsync(p => p.Id == Id, HttpContext.RequestAborted);
        if (partner is null) return NotFound();
        Input = new PartnerInput { Name = partner.Name, Track = partner.Track, Contact = partner.Contact, IsActive = partner.IsActive };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!ModelState.AddErrors(new PartnerValidator(text).Validate(Input)))
        {
            return Page();
        }
        var name = Input.Name!.Trim();
        var track = Input.Track!.Value;
        if (await db.PartnerInstitutions.AnyAsync(p => p.Name == name && p.Track == track && p.Id != Id, cancellationToken))
        {
            ModelState.AddModelError("Input.Name", text["A partner with this name already exists for this service."]);
            return Page();
        }
        var contact = string.IsNullOrWhiteSpace(Input.Contact) ? null : Input.Contact.Trim();
        if (Id is null)
        {
            var created = new PartnerInstitution(name, track, contact);
            if (!Input.IsActive) created.Update(name, track, contact, isActive: false);
            db.PartnerInstitutions.Add(created);
        }
        else
        {
            var partner = await db.PartnerInstitutions.SingleOrDefaultAsync(p => p.Id == Id, cancellationToken);
            if (partner is null) return NotFound();
            partner.Update(name, track, contact, Input.IsActive);
        }
        await db.SaveChangesAsync(cancellationToken);
        TempData["Done"] = text["{0} is saved.", name].Value;
        return RedirectToPage("/Admin/Partners/Index");
    }

    public sealed record PartnerInput
    {
        public string? Name { get; set; }
        public ServiceTrackKind? Track { get; set; }
        public string? Contact { get; set; }
        public bool IsActive { get; set; }
    }

    private sealed class PartnerValidator : AbstractValidator<PartnerInput>
    {
        public PartnerValidator(IStringLocalizer<PartnersText> text)
        {
            RuleFor(i => i.Name).NotEmpty().WithMessage(text["Enter the institution's name."])
                .MaximumLength(200).WithMessage(text["A name can be at most 200 characters."]);
            RuleFor(i => i.Track).NotNull().WithMessage(text["Choose the service."]).IsInEnum();
            RuleFor(i => i.Contact).MaximumLength(500).WithMessage(text["Contact details can be at most 500 characters."]);
        }
    }
}
