using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Shared;

/// <summary>What a minor says about one guardian: nothing yet, safe to contact (with a contact), or never to be contacted.</summary>
public enum GuardianChoice { Unsaid, Safe, Unsafe }

/// <summary>One guardian as a form carries it. The contact travels only while the choice is <see cref="GuardianChoice.Safe"/>.</summary>
public sealed record GuardianStatement
{
    public GuardianRelation Relation { get; set; }
    public GuardianChoice Choice { get; set; }
    public string? Contact { get; set; }
}

/// <summary>The guardian questions the web report, the staff intake and the status page share.</summary>
public static partial class GuardianStatements
{
    public const int ContactMax = 254;

    /// <summary>One statement per relation, in the order the form asks them, keeping what was already said.</summary>
    public static List<GuardianStatement> ForForm(IEnumerable<GuardianStatement>? said) =>
        [.. Enum.GetValues<GuardianRelation>().Select(r => said?.FirstOrDefault(s => s.Relation == r) ?? new GuardianStatement { Relation = r })];

    /// <summary>
    /// The statements with something said, each relation once; a contact is dropped unless the guardian was named safe,
    /// so a guardian she called unsafe never carries one (not even in the form's hidden fields).
    /// </summary>
    public static List<GuardianStatement> Said(IEnumerable<GuardianStatement>? statements) =>
        [.. (statements ?? [])
            .Where(s => Enum.IsDefined(s.Relation) && s.Choice is GuardianChoice.Safe or GuardianChoice.Unsafe)
            .GroupBy(s => s.Relation)
            .Select(g => g.Last())
            .Select(s => s with { Contact = s.Choice == GuardianChoice.Safe ? TextInput.Clean(s.Contact) : null })];

    /// <summary>Applies what she said to a minor's case: each statement is one timeline event naming only the relation.</summary>
    public static void Apply(Case @case, IEnumerable<GuardianStatement>? statements, DateTimeOffset now)
    {
        foreach (var statement in Said(statements))
        {
            if (statement.Choice == GuardianChoice.Unsafe) @case.MarkGuardianUnsafe(statement.Relation, now);
            else if (statement.Contact is { } contact) @case.NameSafeGuardian(statement.Relation, contact, now);
        }
    }

    /// <summary>
    /// A guardian named safe needs a phone number or e-mail address to be reached by; nothing else is asked. Each
    /// problem is added under the field it concerns (<c>{prefix}[i].Contact</c>). False when anything was refused.
    /// </summary>
    public static bool Check(ModelStateDictionary modelState, string prefix, IReadOnlyList<GuardianStatement>? statements, IStringLocalizer<GuardianText> text)
    {
        var valid = true;
        for (var i = 0; i < (statements?.Count ?? 0); i++)
        {
            var s = statements![i];
            var field = $"{prefix}[{i}]";
            if (!Enum.IsDefined(s.Relation) || !Enum.IsDefined(s.Choice))
            {
                modelState.AddModelError($"{field}.Choice", text["Choose one of the options shown."]);
                valid = false;
                continue;
            }
            if (s.Choice != GuardianChoice.Safe) continue;
            var contact = s.Contact?.Trim();
            if (string.IsNullOrEmpty(contact))
            {
                modelState.AddModelError($"{field}.Contact", text["Enter a phone number or e-mail address for this guardian, or choose “I would rather not say”."]);
                valid = false;
            }
            else if (contact.Length > ContactMax || !(PhonePattern().IsMatch(contact) || EmailPattern().IsMatch(contact)))
            {
                modelState.AddModelError($"{field}.Contact", text["Enter a phone number (digits, spaces, + and -) or an e-mail address."]);
                valid = false;
            }
        }
        return valid;
    }

    [GeneratedRegex(@"^\+?[0-9][0-9 \-]{5,19}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}

/// <summary>What the guardian partial shows: the form field prefix, what was said so far, and whether staff fill it in.</summary>
public sealed record GuardianFields(string Prefix, IReadOnlyList<GuardianStatement>? Statements, bool ForStaff = false);

/// <summary>The English wording (the key into GuardianText.ko.resx) of relations and choices.</summary>
public static class GuardianWords
{
    public static string Of(GuardianRelation relation) => relation switch
    {
        GuardianRelation.Mother => "Mother",
        GuardianRelation.Father => "Father",
        GuardianRelation.Grandparent => "Grandparent",
        _ => "Another guardian",
    };

    public static string Of(GuardianChoice choice) => choice switch
    {
        GuardianChoice.Safe => "Safe to contact",
        GuardianChoice.Unsafe => "May be the offender or not safe: never contact",
        _ => "I would rather not say",
    };

    /// <summary>
    /// The words of a timeline event's guardian detail (<c>GuardianSafe:Mother</c>): the relation and what she said,
    /// as keys into GuardianText; null for any other detail.
    /// </summary>
    public static (string Relation, string Choice)? Statement(string? detail)
    {
        if (detail?.Split(':') is not [var said, var relationName] || !Enum.TryParse<GuardianRelation>(relationName, out var relation)) return null;
        return said switch
        {
            "GuardianSafe" => (Of(relation), "Named safe to contact"),
            "GuardianUnsafe" => (Of(relation), "Said not to be safe: never contact"),
            _ => null,
        };
    }
}

/// <summary>The English wording (the key into GuardianText.ko.resx) of the practice for minors.</summary>
public static class PracticeWords
{
    public static string Of(MinorDecision decision) => decision switch
    {
        MinorDecision.Counselling => "Counselling",
        MinorDecision.MedicalExamination => "Medical examination",
        MinorDecision.DeletionRequest => "Deletion request",
        MinorDecision.PoliceReport => "Report to the police",
        MinorDecision.LegalSupport => "Legal support",
        MinorDecision.DisclosureToSchool => "Telling the school",
        _ => "Contacting a guardian",
    };

    public static string Of(MinorDecider decider) => decider switch
    {
        MinorDecider.MinorAlone => "The minor alone",
        MinorDecider.MinorWithGuardianConsent => "The minor, with a guardian's consent",
        _ => "By law (no one's choice)",
    };
}
