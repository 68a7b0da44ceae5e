using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Status;

/// <summary>
/// Reference + access code → a short session for that case. An unknown reference, a wrong code and a locked
/// reference all get the same answer; wrong codes count per reference and lock it for a while.
/// </summary>
[EnableRateLimiting(PortalRateLimits.AccessCode)]
public sealed class IndexModel(PortalDbContext db, Fingerprints fingerprints, TimeProvider clock, IStringLocalizer<StatusText> text) : PageModel
{
    [BindProperty]
    public CheckInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.AddErrors(new CheckValidator(text).Validate(Input)))
        {
            return Page();
        }
        var reference = Input.Reference!.Trim().ToUpperInvariant();
        var code = AccessCode.Normalise(Input.Code);
        var now = clock.GetUtcNow();
        var found = await db.Cases.AsNoTracking()
            .Where(c => c.Reference == reference)
            .Select(c => new { c.Id, c.AccessCodeHash, c.AccessLockedUntil })
            .SingleOrDefaultAsync(HttpContext.RequestAborted);

        // Compare even when nothing was found, so timing says nothing about which references exist.
        var matches = fingerprints.AccessCodeMatches(reference, code ?? "", found?.AccessCodeHash ?? new byte[32]);
        var locked = found?.AccessLockedUntil is { } until && until > now;
        if (found is null || code is null || !matches || locked)
        {
            if (found is not null && !locked)
            {
                await RecordWrongCodeAsync(found.Id, now);
            }
            ModelState.AddModelError(string.Empty, text["The case number and code do not match, or too many attempts were made. Check both and try again later."]);
            Input = Input with { Code = null };
            return Page();
        }

        await db.Cases.Where(c => c.Id == found.Id && c.FailedAccessAttempts > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.FailedAccessAttempts, 0), HttpContext.RequestAborted);
        await HttpContext.SignInAsync(VictimAccess.Scheme, VictimAccess.PrincipalFor(found.Id));
        return RedirectToPage("/Status/Case");
    }

    /// <summary>One atomic statement, so parallel guesses all count.</summary>
    private Task<int> RecordWrongCodeAsync(long caseId, DateTimeOffset now) =>
        db.Cases.Where(c => c.Id == caseId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.AccessLockedUntil, c => c.FailedAccessAttempts + 1 >= Case.MaxAccessAttempts ? now + Case.AccessLockout : c.AccessLockedUntil)
            .SetProperty(c => c.FailedAccessAttempts, c => c.FailedAccessAttempts + 1 >= Case.MaxAccessAttempts ? 0 : c.FailedAccessAttempts + 1),
            HttpContext.RequestAborted);

    public sealed record CheckInput
    {
        public string? Reference { get; set; }
        public string? Code { get; set; }
    }

    private sealed class CheckValidator : AbstractValidator<CheckInput>
    {
        public CheckValidator(IStringLocalizer<StatusText> text)
        {
            RuleFor(i => i.Reference).NotEmpty().WithMessage(text["Enter your case number, for example SDS-2026-000123."])
                .MaximumLength(30).WithMessage(text["Enter your case number, for example SDS-2026-000123."]);
            RuleFor(i => i.Code).NotEmpty().WithMessage(text["Enter the secret code you received."])
                .MaximumLength(40).WithMessage(text["Enter the secret code you received."]);
        }
    }
}
