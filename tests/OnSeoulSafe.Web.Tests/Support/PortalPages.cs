using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>
/// Every POST handler of every page, read from the running app (not a hand-kept list), with the form field names its
/// bound properties and parameters accept. A page added later is covered without touching the tests that use this.
/// </summary>
public static partial class PortalPages
{
    public sealed record PostHandler(string Page, string Template, string? Name, IReadOnlyList<string> Fields)
    {
        public string Folder => Page.Split('/', StringSplitOptions.RemoveEmptyEntries) is { Length: > 1 } parts ? parts[0] : "";

        public override string ToString() => $"POST {Page}{(Name is null ? "" : "?handler=" + Name)}";
    }

    public static async Task<List<PostHandler>> PostHandlersAsync(PortalFactory portal)
    {
        var endpoints = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var loader = portal.Services.GetRequiredService<PageLoader>();
        var handlers = new List<PostHandler>();
        foreach (var group in endpoints.OfType<RouteEndpoint>()
                     .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
                     .GroupBy(e => e.Metadata.GetMetadata<PageActionDescriptor>()!.ViewEnginePath))
        {
            var endpoint = group.OrderByDescending(e => e.RoutePattern.RawText!.Length).First();
            var descriptor = endpoint.Metadata.GetMetadata<PageActionDescriptor>()!;
            var compiled = await loader.LoadAsync(descriptor, endpoint.Metadata);
            var boundFields = compiled.BoundProperties
                .Where(p => p.BindingInfo?.BindingSource != BindingSource.Services)
                .SelectMany(p => FieldNames(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType))
                .ToList();
            foreach (var method in compiled.HandlerMethods.Where(m => m.HttpMethod == "Post"))
            {
                var parameters = method.Parameters
                    .Where(p => p.BindingInfo?.BindingSource != BindingSource.Services && p.ParameterType != typeof(CancellationToken))
                    .SelectMany(p => FieldNames(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType));
                handlers.Add(new PostHandler(descriptor.ViewEnginePath, endpoint.RoutePattern.RawText!, method.Name, [.. boundFields.Concat(parameters).Distinct()]));
            }
        }
        return handlers;
    }

    public sealed record Page(string Path, string Template)
    {
        public string Folder => Path.Split('/', StringSplitOptions.RemoveEmptyEntries) is { Length: > 1 } parts ? parts[0] : "";

        public override string ToString() => $"GET {Path}";
    }

    /// <summary>Every Razor page the app serves (each answers GET), read from the running app's endpoints.</summary>
    public static List<Page> Pages(PortalFactory portal) =>
        [.. portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .GroupBy(e => e.Metadata.GetMetadata<PageActionDescriptor>()!.ViewEnginePath)
            .Select(g => new Page(g.Key, g.OrderByDescending(e => e.RoutePattern.RawText!.Length).First().RoutePattern.RawText!))
            .OrderBy(p => p.Path, StringComparer.Ordinal)];

    /// <summary>A page's address with sample route values.</summary>
    public static string UrlFor(Page page, Func<string, string> routeValue) =>
        "/" + RouteParameter().Replace(page.Template, match => routeValue(match.Groups["name"].Value)).TrimEnd('/');

    /// <summary>The page's address with sample route values and the handler in the query.</summary>
    public static string UrlFor(PostHandler handler, Func<string, string> routeValue)
    {
        var path = RouteParameter().Replace(handler.Template, match => routeValue(match.Groups["name"].Value));
        return "/" + path.TrimEnd('/') + (string.IsNullOrEmpty(handler.Name) ? "" : "?handler=" + handler.Name);
    }

    private static IEnumerable<string> FieldNames(string prefix, Type type)
    {
        if (IsSimple(type) || SimpleElement(type) is not null)
        {
            yield return prefix;
            yield break;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null))
        {
            var propertyType = property.PropertyType;
            if (IsSimple(propertyType) || SimpleElement(propertyType) is not null)
            {
                yield return prefix + "." + property.Name;
            }
        }
    }

    private static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(Guid) || t == typeof(DateOnly)
            || t == typeof(TimeOnly) || t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(TimeSpan);
    }

    private static Type? SimpleElement(Type type)
    {
        if (type == typeof(string)) return null;
        var element = type.IsArray
            ? type.GetElementType()
            : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        return element is not null && IsSimple(element) ? element : null;
    }

    [GeneratedRegex(@"\{(?<name>\w+)(:[^}]*)?\??\}")]
    private static partial Regex RouteParameter();
}
