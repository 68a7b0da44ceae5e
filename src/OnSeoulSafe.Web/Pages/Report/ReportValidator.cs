using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
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

    /// <summary>The fields each step asks (the properties of <see cref="ReportInput"/>), to know which step a field error belongs to.</summary>
    private static readonly Dictionary<string, string> StepOfField = new(StringComparer.Ordinal)
    {
        [nameof(ReportInput.CrimeTypes)] = WhatHappened,
        [nameof(ReportInput.Narrative)] = WhatHappened,
        [nameof(ReportInput.HappenedOn)] = WhatHappened,
        [nameof(ReportInput.Links)] = WhatHappened,
        [nameof(ReportInput.Evidence)] = WhatHappened,
        [nameof(ReportInput.SelfHarmThoughts)] = Safety,
        [nameof(ReportInput.OngoingThreats)] = Safety,
        [nameof(ReportInput.OffenderKnowsAddress)] = Safety,
        [nameof(ReportInput.UnderNineteen)] = Safety,
        [nameof(ReportInput.Channel)] = Contact,
        [nameof(ReportInput.Phone)] = Contact,
        [nameof(ReportInput.Email)] = Contact,
        [nameof(ReportInput.SafeFrom)] = Contact,
        [nameof(ReportInput.SafeUntil)] = Contact,
        [nameof(ReportInput.VoicemailSafe)] = Contact,
        [nameof(ReportInput.SafeWord)] = Contact,
        [nameof(ReportInput.Consents)] = Contact,
        [nameof(ReportInput.Nickname)] = Contact,
        [nameof(ReportInput.Guardians)] = Contact,
    };

    private const string ClockKey = "clock";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ReportValidator> ByCulture = new();

    /// <summary>
    /// One validator per language: building FluentValidation rules is costly, and the messages are read in the
    /// language of the request that builds them.
    /// </summary>
    public static ReportValidator For(IStringLocalizer<ReportText> text) =>
        ByCulture.GetOrAdd(System.Globalization.CultureInfo.CurrentUICulture.Name, _ => new ReportValidator(text));

    /// <summary>
    /// Checks one step. The clock travels with the call, not the validator, so one validator per language still
    /// serves every request.
    /// </summary>
    public static ValidationResult Check(IStringLocalizer<ReportText> text, ReportInput input, string ruleSet, TimeProvider clock)
    {
        var context = ValidationContext<ReportInput>.CreateWithOptions(input, o => o.IncludeRuleSets(ruleSet));
        context.RootContextData[ClockKey] = clock;
        return For(text).Validate(context);
    }

    /// <summary>
    /// The step a posted field belongs to (<c>Input.Evidence[0].Kind</c> belongs to step one), and the field its
    /// message is shown next to; null for a field no step shows.
    /// </summary>
    public static (string RuleSet, string Field)? StepOf(string modelStateKey)
    {
        const string prefix = "Input.";
        if (!modelStateKey.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var name = modelStateKey[prefix.Length..];
        var end = name.IndexOfAny(['.', '[']);
        if (end >= 0) name = name[..end];
        return StepOfField.TryGetValue(name, out var ruleSet) ? (ruleSet, prefix + name) : null;
    }

    /// <summary>
    /// What to say about a value that could not be read at all (a malformed date, time or choice, only possible in a
    /// hand-made post or an old browser): said in the reader's language, and never quoting the value.
    /// </summary>
    public static string UnreadableValue(IStringLocalizer<ReportText> text, string field) => field switch
    {
        "Input." + nameof(ReportInput.HappenedOn) => text["Enter the date as year, month and day, for example 2026-10-01."],
        "Input." + nameof(ReportInput.SafeFrom) or "Input." + nameof(ReportInput.SafeUntil) => text["Enter the time as hours and minutes, for example 18:30."],
        "Input." + nameof(ReportInput.Evidence) => text["Only a file's fingerprint (SHA-256) can be sent, never the file."],
        "Input." + nameof(ReportInput.SelfHarmThoughts) or "Input." + nameof(ReportInput.OngoingThreats)
            or "Input." + nameof(ReportInput.OffenderKnowsAddress) or "Input." + nameof(ReportInput.UnderNineteen)
            or "Input." + nameof(ReportInput.VoicemailSafe) => text["Please answer yes or no."],
        _ => text["Choose one of the options shown."],
    };

    public ReportValidator(IStringLocalizer<ReportText> text)
    {
        RuleSet(WhatHappened, () =>
        {
            RuleFor(i => i.CrimeTypes).NotEmpty().WithMessage(text["Choose at least one option that is closest to what happened."]);
            RuleForEach(i => i.CrimeTypes).IsInEnum();
            RuleFor(i => i.Narrative)
                .NotEmpty().WithMessage(text["Tell us what happened, in your own words. A few sentences are enough."])
                .MaximumTextLength(NarrativeMax).WithMessage(text["Please keep it under {0} characters. You can add more later.", NarrativeMax.ToString("N0")]);
            // A day of grace: "today" where the victim is may already be tomorrow in UTC.
            RuleFor(i => i.HappenedOn)
                .Must((_, d, context) => d is null || (d.Value.Year >= 1990 && d.Value <= DateOnly.FromDateTime(Now(context).UtcDateTime.AddDays(1))))
                .WithMessage(text["Enter a date that is not in the future."]);
            RuleFor(i => i.Evidence)
                .Must(EvidenceHashes.AreAcceptable)
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
            RuleFor(i => i.UnderNineteen).NotNull().WithMessage(answer);
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

    private static DateTimeOffset Now(ValidationContext<ReportInput> context) =>
        (context.RootContextData.TryGetValue(ClockKey, out var clock) ? (TimeProvider)clock : TimeProvider.System).GetUtcNow();

    [GeneratedRegex(@"^\+?[0-9][0-9 \-]{5,19}$")]
    private static partial Regex PhonePattern();
}
