using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Web.Resources;

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
    /// The few errors model binding still raises itself (an empty or unreadable value) come from the portal's texts,
    /// in the reader's language, and never repeat what was typed. Required fields are the validators' business: the
    /// framework's implicit "The Name field is required." for non-nullable strings is off.
    /// </summary>
    public static IServiceCollection AddPortalValidationMessages(this IServiceCollection services)
    {
        services.AddOptions<MvcOptions>().Configure<IStringLocalizerFactory>((options, factory) =>
        {
            options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
            var text = factory.Create(typeof(SharedText));
            string Missing() => text["Fill in this field."].Value;
            string Invalid() => text["Check what you entered here."].Value;
            string Number() => text["Enter a number."].Value;
            var messages = options.ModelBindingMessageProvider;
            messages.SetMissingBindRequiredValueAccessor(_ => Missing());
            messages.SetMissingKeyOrValueAccessor(Missing);
            messages.SetMissingRequestBodyRequiredValueAccessor(Missing);
            messages.SetValueMustNotBeNullAccessor(_ => Missing());
            messages.SetAttemptedValueIsInvalidAccessor((_, _) => Invalid());
            messages.SetNonPropertyAttemptedValueIsInvalidAccessor(_ => Invalid());
            messages.SetUnknownValueIsInvalidAccessor(_ => Invalid());
            messages.SetNonPropertyUnknownValueIsInvalidAccessor(Invalid);
            messages.SetValueIsInvalidAccessor(_ => Invalid());
            messages.SetValueMustBeANumberAccessor(_ => Number());
            messages.SetNonPropertyValueMustBeANumberAccessor(Number);
        });
        return services;
    }

    /// <summary>
    /// At most <paramref name="max"/> characters as the browser's <c>maxlength</c> counts them: a line break is one
    /// character, although a form sends it as two (CR LF). Every text box's limit is the same number on both sides.
    /// </summary>
    public static IRuleBuilderOptions<T, TText> MaximumTextLength<T, TText>(this IRuleBuilder<T, TText> rule, int max) =>
        rule.Must(value => TextInput.Length(value as string) <= max);
}
