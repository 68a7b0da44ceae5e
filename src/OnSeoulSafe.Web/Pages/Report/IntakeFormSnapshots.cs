using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OnSeoulSafe.Web.Pages.Report;

/// <summary>
/// The intake form's empty first step, as Razor rendered it once per language, kept with two holes: the antiforgery
/// token and the intake key, the only parts that differ between two visitors. It is the portal's front door (every
/// report starts here), so later visitors get the same bytes with their own token and key, without rendering again.
/// </summary>
public sealed class IntakeFormSnapshots
{
    private readonly ConcurrentDictionary<string, Snapshot> _byLanguage = new(StringComparer.Ordinal);

    /// <summary>How many languages have a snapshot.</summary>
    public int Count => _byLanguage.Count;

    /// <summary>
    /// Keeps the page just rendered for this language, cut at every occurrence of its token and key. A page in
    /// which either does not appear is not kept: it would hand every visitor the same value.
    /// </summary>
    internal void Keep(string language, string html, string token, Guid intakeKey)
    {
        var key = intakeKey.ToString("D");
        var parts = new List<byte[]>();
        var holes = new List<Hole>();
        var at = 0;
        while (true)
        {
            var tokenAt = html.IndexOf(token, at, StringComparison.Ordinal);
            var keyAt = html.IndexOf(key, at, StringComparison.Ordinal);
            if (tokenAt < 0 && keyAt < 0) break;
            var (next, hole, length) = keyAt < 0 || (tokenAt >= 0 && tokenAt < keyAt) ? (tokenAt, Hole.Token, token.Length) : (keyAt, Hole.IntakeKey, key.Length);
            parts.Add(Encoding.UTF8.GetBytes(html[at..next]));
            holes.Add(hole);
            at = next + length;
        }
        parts.Add(Encoding.UTF8.GetBytes(html[at..]));
        if (!holes.Contains(Hole.Token) || !holes.Contains(Hole.IntakeKey)) return;
        _byLanguage.TryAdd(language, new Snapshot([.. parts], [.. holes]));
    }

    internal bool TryGet(string language, out Snapshot snapshot) => _byLanguage.TryGetValue(language, out snapshot!);

    internal enum Hole { Token, IntakeKey }

    /// <summary>The page's bytes between the holes: <c>Parts[i]</c> comes before <c>Holes[i]</c>, the last part after the last hole.</summary>
    internal sealed record Snapshot(byte[][] Parts, Hole[] Holes)
    {
        /// <summary>Length of an intake key written as <c>D</c> (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).</summary>
        private const int KeyLength = 36;

        public async Task WriteAsync(HttpResponse response, string token, Guid intakeKey)
        {
            // The token is base64url and the key hexadecimal: ASCII, one byte a character. Both are written straight
            // into the response's buffer.
            long length = 0;
            foreach (var part in Parts) length += part.Length;
            foreach (var hole in Holes) length += hole == Hole.Token ? token.Length : KeyLength;
            response.ContentType = "text/html; charset=utf-8";
            response.ContentLength = length;
            var writer = response.BodyWriter;
            for (var i = 0; i < Holes.Length; i++)
            {
                writer.Write(Parts[i]);
                if (Holes[i] == Hole.Token)
                {
                    writer.Advance(Encoding.ASCII.GetBytes(token, writer.GetSpan(token.Length)));
                }
                else
                {
                    intakeKey.TryFormat(writer.GetSpan(KeyLength), out var written, "D");
                    writer.Advance(written);
                }
            }
            writer.Write(Parts[^1]);
            await writer.FlushAsync(response.HttpContext.RequestAborted);
        }
    }
}

/// <summary>
/// On the intake page's GET: answers with the language's snapshot, this visitor's token and the page model's new
/// intake key filled in; the first time, lets Razor render the page and keeps it as the snapshot. An address with a
/// query is always rendered. A result filter, because only the page's invoker can hand Razor the page to render.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class IntakeFormSnapshotAttribute : Attribute, IAsyncResultFilter
{
    public async Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) || http.Request.QueryString.HasValue
            || context.Controller is not IndexModel { Step: 1, Receipt: null } model || context.Result is not PageResult)
        {
            await next();
            return;
        }
        var snapshots = http.RequestServices.GetRequiredService<IntakeFormSnapshots>();
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        var language = CultureInfo.CurrentUICulture.Name;
        if (snapshots.TryGet(language, out var snapshot))
        {
            context.Cancel = true;
            await snapshot.WriteAsync(http.Response, antiforgery.GetAndStoreTokens(http).RequestToken!, model.Input.IntakeKey);
            return;
        }

        var body = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next();
        }
        finally
        {
            http.Response.Body = body;
        }
        // The form tag helper asked for this request's tokens while rendering; the same ones are given again here.
        if (http.Response.StatusCode == StatusCodes.Status200OK)
        {
            var html = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            snapshots.Keep(language, html, antiforgery.GetAndStoreTokens(http).RequestToken!, model.Input.IntakeKey);
        }
        http.Response.ContentLength = buffer.Length;
        await body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), http.RequestAborted);
    }
}

/// <summary>
/// Serves the intake page's GET from its snapshot before the page is invoked, once Razor has rendered and kept it
/// (<see cref="IntakeFormSnapshotAttribute"/>): the page's <c>OnGet</c> only draws a new intake key, so building
/// the page's invoker, model, filters and view context for every visitor bought nothing. Placed last in the
/// pipeline, after routing, authentication, authorization and the rate limits, so all of them still run; the
/// security headers and the request log wrap it as every other page.
/// </summary>
public static class IntakeFormSnapshotServing
{
    public static IApplicationBuilder UseIntakeFormSnapshots(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || request.QueryString.HasValue
            || context.GetEndpoint()?.Metadata.GetMetadata<IntakeFormSnapshotAttribute>() is null
            || !context.RequestServices.GetRequiredService<IntakeFormSnapshots>().TryGet(CultureInfo.CurrentUICulture.Name, out var snapshot))
        {
            return next(context);
        }
        var token = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context).RequestToken!;
        // What IndexModel.OnGet gives every visitor: a new intake key for the new form.
        return snapshot.WriteAsync(context.Response, token, NewIntakeKey());
    });

    /// <summary>
    /// A random (version 4) key like <see cref="Guid.NewGuid"/>, drawn from the process's cryptographic generator:
    /// <see cref="Guid.NewGuid"/> read the kernel's random device, one system call for every visitor.
    /// </summary>
    private static Guid NewIntakeKey()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}

