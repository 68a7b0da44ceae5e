using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Report;

/// <summary>The intake's rules, one rule set per step so a step is checked before the next one is shown.</summary>
public sealed partial class ReportValidator : AbstractValidator<ReportInput>
{
    public const string WhatHappened = "WhatHappened";
    public const string Safety = "Safety";
    public const string Contact = "Contact";

    public const int NarrativeMax = 20_000;
    public const int LinksMax = 50;

    public static readonly string[] StepRuleSets = [WhatHappened, Safety, Contact];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ReportValidator> ByCulture = new();

    /// <summary>
    /// One validator per language: building FluentValidation rules is costly, and the messages are read in the
    /// language of the request that builds them.
    /// </summary>
    public static ReportValidator For(IStringLocalizer<ReportText> text) =>
        ByCulture.GetOrAdd(System.Globalization.CultureInfo.CurrentUICulture.Name, _ => new ReportValidator(text));

    public ReportValidator(IStringLocalizer<ReportText> text)
    {
        RuleSet(WhatHappened, () =>
        {
            RuleFor(i => i.CrimeTypes).NotEmpty().WithMessage(text["Choose at least one option that is closest to what happened."]);
            RuleForEach(i => i.CrimeTypes).IsInEnum();
            RuleFor(i => i.Narrative)
                .NotEmpty().WithMessage(text["Tell us what happened, in your own words. A few sentences are enough."])
                .MaximumLength(NarrativeMax).WithMessage(text["Please keep it under {0} characters. You can add more later.", NarrativeMax.ToString("N0")]);
            RuleFor(i => i.HappenedOn)
                .Must(d => d is null || (d.Value.Year >= 1990 && d.Value <= DateOnly.FromDateTime(DateTime.UtcNow.AddDays(1))))
                .WithMessage(text["Enter a date that is not in the future."]);
            RuleFor(i => i.Evidence)
                .Must(e => e.Count <= EvidenceHashes.MaxPerSubmit && e.All(h => EvidenceHash.IsSha256(h.Sha256) && h.SizeBytes is null or >= 0 && Enum.IsDefined(h.Kind)))
                .WithMessage(text["Only a file's fingerprint (SHA-256) can be sent, never the file."]);
            RuleFor(i => i.Links)
                .Must(l => l is null || new ReportInput { Links = l }.LinkLines().Count <= LinksMax)
                .WithMessage(text["You can add up to {0} links now, and more later.", LinksMax]);
            RuleFor(i => i.Links)
                .Must(l => new ReportInput { Links = l }.LinkLines().All(line => ContentLinks.Normalise(line) is not null))
                .WithMessage(i => text["This is not a web address starting with http:// or https://: {0}",
                    new ReportInput { Links = i.Links }.LinkLines().First(line => ContentLinks.Normalise(line) is null)]);
        });

        RuleSet(Safety, () =>
        {
            var answer = text["Please answer yes or no."];
            RuleFor(i => i.SelfHarmThoughts).NotNull().WithMessage(answer);
            RuleFor(i => i.OngoingThreats).NotNull().WithMessage(answer);
            RuleFor(i => i.OffenderKnowsAddress).NotNull().WithMessage(answer);
            RuleFor(i => i.UnderEighteen).NotNull().WithMessage(answer);
        });

        RuleSet(Contact, () =>
        {
            RuleFor(i => i.Channel).IsInEnum();
            RuleFor(i => i.Phone)
                .NotEmpty().When(i => i.Channel is ContactChannel.Phone or ContactChannel.Text)
                .WithMessage(text["Enter the number we may call or text."]);
            RuleFor(i => i.Phone)
                .Must(p => p is null || PhonePattern().IsMatch(p)).WithMessage(text["Enter a phone number with digits only (spaces, + and - are fine)."]);
            RuleFor(i => i.Email)
                .NotEmpty().When(i => i.Channel == ContactChannel.Email).WithMessage(text["Enter the e-mail address we may write to."]);
            RuleFor(i => i.Email)
                .MaximumLength(254).EmailAddress().When(i => !string.IsNullOrEmpty(i.Email)).WithMessage(text["Enter a valid e-mail address."]);
            RuleFor(i => i.SafeUntil)
                .NotNull().When(i => i.SafeFrom is not null).WithMessage(text["Enter both times, or neither."]);
            RuleFor(i => i.SafeFrom)
                .NotNull().When(i => i.SafeUntil is not null).WithMessage(text["Enter both times, or neither."]);
            RuleFor(i => i.SafeWord).MaximumLength(50).WithMessage(text["Please keep it under {0} characters.", 50]);
            RuleFor(i => i.Nickname).MaximumLength(50).WithMessage(text["Please keep it under {0} characters.", 50]);
            RuleForEach(i => i.Consents).IsInEnum();
        });
    }

    [GeneratedRegex(@"^\+?[0-9][0-9 \-]{5,19}$")]
    private static partial Regex PhonePattern();
}
