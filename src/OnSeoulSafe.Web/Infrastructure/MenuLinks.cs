using System.Collections.Concurrent;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Paths of the pages the staff menu links to. Those pages take no route values, so each path is worked out by the
/// link generator once and kept, instead of by an anchor tag helper on every staff page (link generation and the
/// tag helpers were a few percent of a case file view). The request's path base is added as a tag helper adds it.
/// </summary>
public static class MenuLinks
{
    private static readonly ConcurrentDictionary<string, string> Paths = new(StringComparer.Ordinal);

    public static string To(HttpContext context, string page)
    {
        if (!Paths.TryGetValue(page, out var path))
        {
            path = context.RequestServices.GetRequiredService<LinkGenerator>().GetPathByPage(page)
                ?? throw new InvalidOperationException($"No link to the page {page}.");
            Paths.TryAdd(page, path);
        }
        return context.Request.PathBase.Add(path);
    }
}
