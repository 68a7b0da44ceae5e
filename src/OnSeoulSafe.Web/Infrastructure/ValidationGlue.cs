using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace OnSeoulSafe.Web.Infrastructure;

public static class ValidationGlue
{
    /// <summary>Copies FluentValidation errors into ModelState so tag helpers show them next to each field.</summary>
    public static bool AddErrors(this ModelStateDictionary modelState, ValidationResult result, string prefix = "Input")
    {
        foreach (var error in result.Errors)
        {
            var key = string.IsNullOrEmpty(prefix) ? error.PropertyName : $"{prefix}.{error.PropertyName}";
            modelState.AddModelError(key, error.ErrorMessage);
        }
        return result.IsValid;
    }

    /// <summary>
    /// At most <paramref name="max"/> characters as the browser's <c>maxlength</c> counts them: a line break is one
    /// character, although a form sends it as two (CR LF). Every text box's limit is the same number on both sides.
    /// </summary>
    public static IRuleBuilderOptions<T, TText> MaximumTextLength<T, TText>(this IRuleBuilder<T, TText> rule, int max) =>
        rule.Must(value => TextInput.Length(value as string) <= max);
}
