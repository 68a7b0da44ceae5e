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
}
