using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Status;

/// <summary>
/// Reference + access code → a short session for that case. An unknown reference and a wrong code get the same answer
/// after the same work (one look-up, one keyed comparison, no write), so neither the answer nor its timing says which
/// references exist. Guessing is throttled per reference, per client and for the whole portal (<see cref="PortalRateLimits"/>,
/// shared by every instance); the limit on a reference lasts one minute at most, so a stranger's guesses can delay the
/// right code, never lock it out.
/// </summary>
[SharedRateLimit(PortalRateLimits.AccessCode)]
public sealed class IndexModel(PortalDbContext db, Fingerprints fingerprints, IStringLocalizer<StatusText> text) : PageModel
{
    /// <summary>Compared against when the reference is unknown: no code's keyed hash is all zeros.</summary>
    private static readonly byte[] NoCase = new byte[32];

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
        var (reference, error) = TypedReference.Read(Input.Reference, text);
        if (reference is null)
        {
            ModelState.AddModelError("Input.Reference", error!);
            Input = Input with { Code = null };
            return Page();
        }
        var code = AccessCode.Normalise(Input.Code);
        var found = await db.Cases.AsNoTracking()
            .Where(c => c.Reference == reference)
            .Select(c => new { c.Id, c.AccessCodeHash, c.VictimSessionVersion })
            .SingleOrDefaultAsync(HttpContext.RequestAborted);

        // Compare even when nothing was found, and write nothing either way: the same work for both answers.
        var matches = fingerprints.AccessCodeMatches(reference, code ?? "", found?.AccessCodeHash ?? NoCase);
        if (found is null || code is null || !matches)
        {
            ModelState.AddModelError(string.Empty, text["The case number and the code do not belong together. Check both and try again. Lost your code? You can ask for a new one below."]);
            Input = Input with { Code = null };
            return Page();
        }

        await HttpContext.SignInAsync(VictimAccess.Scheme, VictimAccess.PrincipalFor(found.Id, found.VictimSessionVersion));
        return RedirectToPage("/Status/Case");
    }

    public sealed record CheckInput
    {
        public string? Reference { get; set; }
        public string? Code { get; set; }
    }

    private sealed class CheckValidator : AbstractValidator<CheckInput>
    {
        public CheckValidator(IStringLocalizer<StatusText> text)
        {
            RuleFor(i => i.Reference).NotEmpty().WithMessage(text["Enter your case number, for example SDS-7KQ2-M9XD-R."])
                .MaximumLength(30).WithMessage(text["This is not a case number. It starts with SDS-, for example SDS-7KQ2-M9XD-R."]);
            RuleFor(i => i.Code).NotEmpty().WithMessage(text["Enter the secret code you received."])
                .MaximumLength(40).WithMessage(text["Enter the secret code you received."]);
        }
    }
}
