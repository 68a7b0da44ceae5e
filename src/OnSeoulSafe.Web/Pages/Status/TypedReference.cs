using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Status;

/// <summary>
/// A case reference as a victim typed it, on the status pages: read forgivingly, and when it cannot be a reference, the
/// message that says why. Decided from the characters alone, before any look-up, so it says nothing about which exist.
/// </summary>
public static class TypedReference
{
    public static (string? Reference, string? Error) Read(string? typed, IStringLocalizer<StatusText> text)
    {
        var reading = CaseReference.Read(typed);
        return reading.Verdict switch
        {
            ReferenceVerdict.Valid => (reading.Reference, null),
            ReferenceVerdict.CheckFailed => (null, text["This case number has a typing mistake: one of its letters or numbers is not right. Check it against what you wrote down."]),
            _ when string.IsNullOrWhiteSpace(typed) => (null, text["Enter your case number, for example SDS-7KQ2-M9XD-R."]),
            _ => (null, text["This is not a case number. It starts with SDS-, for example SDS-7KQ2-M9XD-R."]),
        };
    }
}
