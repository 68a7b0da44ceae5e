using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Admin.Platforms;

/// <summary>Creates (no id) or edits a platform: name, host names, how to request deletion, the request templates.</summary>
public sealed class EditModel(PortalDbContext db, IStringLocalizer<DeletionText> text, IStringLocalizer<EscalationText> noticeText) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Id { get; set; }

    [BindProperty]
    public PlatformInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync()
    {
        if (Id is null)
        {
            Input = new PlatformInput
            {
                TemplateKo = "{reference} 사례 관련 삭제 요청 ({date})\n\n아래 게시물은 당사자의 동의 없이 촬영·유포된 성적 촬영물입니다. 삭제를 요청합니다.\n{links}\n\n근거: {legal_basis}\n서울 디지털성범죄 안심지원센터",
                TemplateEn = "Removal request, case {reference} ({date})\n\nThe content below is sexual imagery filmed or distributed without the consent of the person concerned. We request its removal.\n{links}\n\nLegal basis: {legal_basis}\nSeoul Digital Sex Crime Safety Support Center",
                IsActive = true,
            };
            return Page();
        }
        var platform = await db.Platforms.AsNoTracking().SingleOrDefaultAsync(p => p.Id == Id, HttpContext.RequestAborted);
        if (platform is null) return NotFound();
        Input = new PlatformInput
        {
            Name = platform.Name,
            HostPatterns = string.Join('\n', platform.HostPatterns),
            Channel = platform.Channel,
            RequestAddress = platform.RequestAddress,
            TemplateKo = platform.TemplateKo,
            TemplateEn = platform.TemplateEn,
            RemovedPageMarker = platform.RemovedPageMarker,
            IsActive = platform.IsActive,
            NoticeDelivery = platform.NoticeDelivery,
            NoticeAddress = platform.NoticeAddress,
            NoticeBodyFormat = platform.NoticeBodyFormat,
            NoticeBodyTemplate = platform.NoticeBodyTemplate,
            NoticeLanguage = platform.NoticeLanguage,
            NoticeIntervalMinutes = (int)platform.NoticeInterval.TotalMinutes,
            DeadlineHours = (int)platform.RemovalDeadline.TotalHours,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var ct = HttpContext.RequestAborted;
        var valid = ModelState.AddErrors(new Validator(text).Validate(Input));
        if (!ModelState.AddErrors(new NoticeValidator(noticeText).Validate(Input)) || !valid)
        {
            return Page();
        }
        var name = Input.Name.Trim();
        if (await db.Platforms.AnyAsync(p => p.Name == name && p.Id != Id, ct))
        {
            ModelState.AddModelError("Input.Name", text["Another platform already has this name."]);
            return Page();
        }
        var hosts = Validator.Hosts(Input.HostPatterns);
        var address = string.IsNullOrWhiteSpace(Input.RequestAddress) ? null : Input.RequestAddress.Trim();
        if (Id is null)
        {
            var platform = new Platform(name, hosts, Input.Channel, address, Input.TemplateKo, Input.TemplateEn, Input.RemovedPageMarker);
            if (!Input.IsActive) platform.Update(name, hosts, Input.Channel, address, Input.TemplateKo, Input.TemplateEn, Input.RemovedPageMarker, false);
            ConfigureNotices(platform);
            db.Platforms.Add(platform);
        }
        else
        {
            var platform = await db.Platforms.SingleOrDefaultAsync(p => p.Id == Id, ct);
            if (platform is null) return NotFound();
            platform.Update(name, hosts, Input.Channel, address, Input.TemplateKo, Input.TemplateEn, Input.RemovedPageMarker, Input.IsActive);
            ConfigureNotices(platform);
        }
        await db.SaveChangesAsync(ct);
        TempData["Saved"] = text["Platform {0} saved.", name].Value;
        return RedirectToPage("/Admin/Platforms/Index");
    }

    private void ConfigureNotices(Platform platform) =>
        platform.ConfigureNotices(Input.NoticeDelivery, Input.NoticeAddress, Input.NoticeBodyFormat, Input.NoticeBodyTemplate, Input.NoticeLanguage,
            TimeSpan.FromMinutes(Input.NoticeIntervalMinutes), TimeSpan.FromHours(Input.DeadlineHours));

    public sealed record PlatformInput
    {
        public string Name { get; set; } = "";

        /// <summary>One host name per line (or comma-separated); each also matches its subdomains.</summary>
        public string HostPatterns { get; set; } = "";
        public RequestChannel Channel { get; set; } = RequestChannel.WebForm;
        public string? RequestAddress { get; set; }
        public string TemplateKo { get; set; } = "";
        public string TemplateEn { get; set; } = "";
        public string? RemovedPageMarker { get; set; }
        public bool IsActive { get; set; } = true;
        public NoticeDelivery NoticeDelivery { get; set; } = NoticeDelivery.ByHand;
        public string? NoticeAddress { get; set; }
        public NoticeBodyFormat NoticeBodyFormat { get; set; } = NoticeBodyFormat.Json;
        public string? NoticeBodyTemplate { get; set; }
        public string NoticeLanguage { get; set; } = "ko";
        public int NoticeIntervalMinutes { get; set; } = 1;
        public int DeadlineHours { get; set; } = 24;
    }

    /// <summary>The notice settings: an address that fits the channel, a known language, a rate and a deadline in range, known body fields.</summary>
    public sealed class NoticeValidator : AbstractValidator<PlatformInput>
    {
        private static readonly string[] BodyFields = ["reference", "addresses", "text", "platform", "date", "notice"];

        public NoticeValidator(IStringLocalizer<EscalationText> text)
        {
            RuleFor(i => i.NoticeDelivery).IsInEnum();
            RuleFor(i => i.NoticeBodyFormat).IsInEnum();
            RuleFor(i => i.NoticeAddress).NotEmpty().When(i => i.NoticeDelivery != NoticeDelivery.ByHand, ApplyConditionTo.CurrentValidator)
                .WithMessage(text["Enter the address notices are sent to."])
                .EmailAddress().When(i => i.NoticeDelivery == NoticeDelivery.Email, ApplyConditionTo.CurrentValidator)
                .WithMessage(text["Enter a valid e-mail address for notices."])
                .Must(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
                .When(i => i.NoticeDelivery == NoticeDelivery.HttpEndpoint && !string.IsNullOrWhiteSpace(i.NoticeAddress), ApplyConditionTo.CurrentValidator)
                .WithMessage(text["Enter the notice endpoint's web address, starting with https://."])
                .MaximumLength(500);
            RuleFor(i => i.NoticeLanguage).Must(l => l is "ko" or "en").WithMessage(text["Choose Korean or English."]);
            RuleFor(i => i.NoticeIntervalMinutes).InclusiveBetween(0, 1440).WithMessage(text["The time between notices is a number of minutes from 0 to 1440."]);
            RuleFor(i => i.DeadlineHours).InclusiveBetween(1, 720).WithMessage(text["The deadline is a number of hours from 1 to 720."]);
            RuleFor(i => i.NoticeBodyTemplate)
                .Must(t => t is null || System.Text.RegularExpressions.Regex.Matches(t, @"\{([a-z_]+)\}").All(m => BodyFields.Contains(m.Groups[1].Value)))
                .WithMessage(text["The notice body may use only {reference}, {addresses}, {text}, {platform}, {date} and {notice}."])
                .MaximumLength(8000);
        }
    }

    public sealed class Validator : AbstractValidator<PlatformInput>
    {
        public static List<string> Hosts(string? value) =>
            (value ?? "").Split(['\n', '\r', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

        public Validator(IStringLocalizer<DeletionText> text)
        {
            RuleFor(i => i.Name).NotEmpty().WithMessage(text["Enter the platform's name."])
                .MaximumLength(100).WithMessage(text["The name can be at most {0} characters.", 100]);
            RuleFor(i => i.HostPatterns).Must(h => Hosts(h).Count > 0).WithMessage(text["Enter at least one host name, such as video.example.com."])
                .Must(h => Hosts(h).All(PlatformMatching.IsValidHostPattern)).WithMessage(text["Enter host names only (such as video.example.com), without http:// or paths."]);
            RuleFor(i => i.Channel).IsInEnum();
            RuleFor(i => i.RequestAddress).NotEmpty().When(i => i.Channel == RequestChannel.Email)
                .WithMessage(text["Enter the e-mail address requests are sent to."])
                .EmailAddress().When(i => i.Channel == RequestChannel.Email)
                .WithMessage(text["Enter a valid e-mail address."])
                .Must(a => a is null || ContentLinks.Normalise(a) is not null).When(i => i.Channel == RequestChannel.WebForm && !string.IsNullOrWhiteSpace(i.RequestAddress))
                .WithMessage(text["Enter the web address of the platform's form, starting with https://."])
                .MaximumLength(500);
            RuleFor(i => i.TemplateKo).NotEmpty().WithMessage(text["Enter the Korean request template."])
                .Must(t => t is null || t.Contains("{links}", StringComparison.Ordinal)).WithMessage(text["The template must contain {links}, where the links go."])
                .MaximumLength(8000);
            RuleFor(i => i.TemplateEn).NotEmpty().WithMessage(text["Enter the English request template."])
                .Must(t => t is null || t.Contains("{links}", StringComparison.Ordinal)).WithMessage(text["The template must contain {links}, where the links go."])
                .MaximumLength(8000);
            RuleFor(i => i.RemovedPageMarker).MaximumLength(500);
        }
    }
}
