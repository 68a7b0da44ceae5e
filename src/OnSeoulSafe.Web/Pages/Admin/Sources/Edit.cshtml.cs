using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Admin.Sources;

/// <summary>Adds (no id) or edits a monitoring source: where the crawl starts, how deep and how often, how politely.</summary>
public sealed class EditModel(PortalDbContext db, TimeProvider clock, IStringLocalizer<MonitoringText> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Id { get; set; }

    [BindProperty]
    public SourceInput Input { get; set; } = new();

    public IReadOnlyList<Platform> Platforms { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadPlatformsAsync();
        if (Id is null) return Page();
        var source = await db.MonitoringSources.AsNoTracking().SingleOrDefaultAsync(s => s.Id == Id, HttpContext.RequestAborted);
        if (source is null) return NotFound();
        Input = new SourceInput
        {
            Name = source.Name,
            StartAddress = source.StartAddress,
            PlatformId = source.PlatformId,
            MaxDepth = source.MaxDepth,
            IntervalMinutes = (int)source.Interval.TotalMinutes,
            MaxConcurrency = source.MaxConcurrency,
            RequestsPerSecond = source.RequestsPerSecond,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var ct = HttpContext.RequestAborted;
        await LoadPlatformsAsync();
        if (!ModelState.AddErrors(new Validator(text).Validate(Input)))
        {
            return Page();
        }
        var name = Input.Name.Trim();
        if (await db.MonitoringSources.AnyAsync(s => s.Name == name && s.Id != Id, ct))
        {
            ModelState.AddModelError("Input.Name", text["Another source already has this name."]);
            return Page();
        }
        var platformId = Input.PlatformId is { } chosen && Platforms.Any(p => p.Id == chosen) ? chosen : (int?)null;
        var interval = TimeSpan.FromMinutes(Input.IntervalMinutes);
        if (Id is null)
        {
            db.MonitoringSources.Add(new MonitoringSource(name, Input.StartAddress.Trim(), platformId, Input.MaxDepth, interval, Input.MaxConcurrency, Input.RequestsPerSecond, clock.GetUtcNow()));
        }
        else
        {
            var source = await db.MonitoringSources.SingleOrDefaultAsync(s => s.Id == Id, ct);
            if (source is null) return NotFound();
            source.Update(name, Input.StartAddress.Trim(), platformId, Input.MaxDepth, interval, Input.MaxConcurrency, Input.RequestsPerSecond);
        }
        await db.SaveChangesAsync(ct);
        TempData["Saved"] = text["Source {0} saved.", name].Value;
        return RedirectToPage("/Admin/Sources/Index");
    }

    private async Task LoadPlatformsAsync() =>
        Platforms = await db.Platforms.AsNoTracking().Where(p => p.IsActive).OrderBy(p => p.Name).ToListAsync(HttpContext.RequestAborted);

    public sealed record SourceInput
    {
        public string Name { get; set; } = "";
        public string StartAddress { get; set; } = "";
        public int? PlatformId { get; set; }
        public int MaxDepth { get; set; } = 1;
        public int IntervalMinutes { get; set; } = 60;
        public int MaxConcurrency { get; set; } = 1;
        public double RequestsPerSecond { get; set; } = 1;
    }

    public sealed class Validator : AbstractValidator<SourceInput>
    {
        public Validator(IStringLocalizer<MonitoringText> text)
        {
            RuleFor(i => i.Name).NotEmpty().WithMessage(text["Enter the source's name."])
                .MaximumLength(100).WithMessage(text["The name can be at most {0} characters.", 100]);
            RuleFor(i => i.StartAddress).Must(a => MonitoringSource.HostKeyOf(a) is not null)
                .WithMessage(text["Enter the address where the crawl starts, beginning with https:// or http://."]);
            RuleFor(i => i.MaxDepth).InclusiveBetween(0, MonitoringSource.MaxDepthLimit)
                .WithMessage(text["Depth is a number from 0 to {0}.", MonitoringSource.MaxDepthLimit]);
            RuleFor(i => i.IntervalMinutes).InclusiveBetween((int)MonitoringSource.MinInterval.TotalMinutes, (int)MonitoringSource.MaxInterval.TotalMinutes)
                .WithMessage(text["The interval is between {0} and {1} minutes.", (int)MonitoringSource.MinInterval.TotalMinutes, (int)MonitoringSource.MaxInterval.TotalMinutes]);
            RuleFor(i => i.MaxConcurrency).InclusiveBetween(1, MonitoringSource.MaxConcurrencyLimit)
                .WithMessage(text["Requests at once is a number from 1 to {0}.", MonitoringSource.MaxConcurrencyLimit]);
            RuleFor(i => i.RequestsPerSecond).InclusiveBetween(MonitoringSource.MinRequestsPerSecondLimit, MonitoringSource.MaxRequestsPerSecondLimit)
                .WithMessage(text["Requests per second is between {0} and {1}.", MonitoringSource.MinRequestsPerSecondLimit, MonitoringSource.MaxRequestsPerSecondLimit]);
        }
    }
}
