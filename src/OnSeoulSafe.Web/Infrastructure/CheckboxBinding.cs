using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Binds yes/no fields. A value other than true/false (only a hand-made post sends one) becomes a field error
/// in the reader's language, without keeping the raw text: the checkbox tag helper would otherwise try to read that text back as a boolean
/// when the form is shown again, and fail with an exception that quotes it.
/// </summary>
public sealed class CheckboxBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.UnderlyingOrModelType == typeof(bool) ? new CheckboxBinder() : null;

    private sealed class CheckboxBinder : IModelBinder
    {
        public Task BindModelAsync(ModelBindingContext bindingContext)
        {
            var values = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
            if (values == ValueProviderResult.None) return Task.CompletedTask;
            var first = values.FirstValue;
            if (bool.TryParse(first, out var parsed))
            {
                bindingContext.ModelState.SetModelValue(bindingContext.ModelName, values);
                bindingContext.Result = ModelBindingResult.Success(parsed);
            }
            else if (string.IsNullOrWhiteSpace(first) && bindingContext.ModelMetadata.IsNullableValueType)
            {
                bindingContext.Result = ModelBindingResult.Success(null);
            }
            else
            {
                var text = bindingContext.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedText>>();
                bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, text["Choose yes or no."]);
                bindingContext.Result = ModelBindingResult.Failed();
            }
            return Task.CompletedTask;
        }
    }
}
