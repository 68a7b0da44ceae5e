using System.Net;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>
/// Drives the portal the way a browser does: GET a page, read its form and antiforgery token, POST the fields,
/// follow redirects, read the HTML. Cookies persist across calls.
/// </summary>
public sealed class PortalBrowser : IDisposable
{
    private static readonly HtmlParser Parser = new();

    public PortalBrowser(HttpClient client, string? culture)
    {
        Client = client;
        // Like a browser set to that language: every request, redirects included, asks for it.
        if (culture is not null && client.DefaultRequestHeaders.AcceptLanguage.Count == 0)
        {
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
        }
    }

    public HttpClient Client { get; }

    public HttpResponseMessage? LastResponse { get; private set; }

    public async Task<IHtmlDocument> GetAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var (response, document) = await SendFollowingAsync(new HttpRequestMessage(HttpMethod.Get, url));
        response.StatusCode.ShouldBe(expected, $"GET {url}");
        return document;
    }

    public async Task<HttpResponseMessage> GetRawAsync(string url) =>
        LastResponse = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

    /// <summary>
    /// Submits the form on <paramref name="page"/> (the first form with a submit button, or the one matching
    /// <paramref name="formSelector"/>): its current field values, overridden by <paramref name="fields"/>.
    /// </summary>
    public async Task<IHtmlDocument> SubmitAsync(
        IHtmlDocument page,
        IEnumerable<KeyValuePair<string, string>> fields,
        string? formSelector = null,
        string? submitName = null,
        string? submitValue = null,
        string? handler = null)
    {
        var form = (formSelector is null
            ? page.Forms.FirstOrDefault(f => f.QuerySelector("[type=submit]") is not null && !f.HasAttribute("data-secondary"))
            : page.QuerySelector<IHtmlFormElement>(formSelector))
            ?? throw new InvalidOperationException($"No form found ({formSelector}).");
        var values = CurrentValues(form);
        foreach (var group in fields.GroupBy(f => f.Key))
        {
            values.RemoveAll(v => v.Key == group.Key);
            values.AddRange(group);
        }
        if (submitName is not null) values.Add(new(submitName, submitValue ?? ""));
        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? (UrlByDocument.TryGetValue(page, out var current) ? current : "/") : action;
        if (handler is not null)
        {
            // What a button with asp-page-handler does: its formaction adds ?handler=.
            target = RemoveQueryParameter(target, "handler");
            target += (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "handler=" + handler;
        }
        return await PostAsync(target, values);
    }

    public async Task<IHtmlDocument> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> values)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ToRelative(url)) { Content = new FormUrlEncodedContent(values) };
        var (_, document) = await SendFollowingAsync(request);
        return document;
    }

    public HttpStatusCode LastStatus => LastResponse?.StatusCode ?? 0;

    public static List<KeyValuePair<string, string>> CurrentValues(IHtmlFormElement form)
    {
        var values = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when string.IsNullOrEmpty(input.Name) || input.IsDisabled:
                    break;
                case IHtmlInputElement input when input.Type is "checkbox" or "radio":
                    if (input.IsChecked) values.Add(new(input.Name!, input.Value));
                    break;
                case IHtmlInputElement input when input.Type is "submit" or "button" or "file":
                    break;
                case IHtmlInputElement input:
                    values.Add(new(input.Name!, input.Value));
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    values.Add(new(area.Name!, area.Value));
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    foreach (var option in select.Options.Where(o => o.IsSelected)) values.Add(new(select.Name!, option.Value));
                    break;
            }
        }
        return values;
    }

    private static string RemoveQueryParameter(string url, string name)
    {
        var parts = url.Split('?', 2);
        if (parts.Length < 2) return url;
        var kept = parts[1].Split('&').Where(p => !p.StartsWith(name + "=", StringComparison.Ordinal)).ToArray();
        return kept.Length == 0 ? parts[0] : parts[0] + "?" + string.Join('&', kept);
    }

    private async Task<(HttpResponseMessage, IHtmlDocument)> SendFollowingAsync(HttpRequestMessage request)
    {
        var response = await Client.SendAsync(request);
        for (var hops = 0; hops < 5 && response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther; hops++)
        {
            var location = response.Headers.Location!;
            if (location.IsAbsoluteUri && location.Host != Client.BaseAddress!.Host)
            {
                break; // never leave loopback
            }
            response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString));
        }
        LastResponse = response;
        var html = await response.Content.ReadAsStringAsync();
        var document = await Parser.ParseDocumentAsync(html);
        var url = response.RequestMessage!.RequestUri!;
        return (response, WithUrl(document, url));
    }

    private static IHtmlDocument WithUrl(IHtmlDocument document, Uri url)
    {
        // AngleSharp documents parsed from strings have no address; keep it for forms without an action.
        UrlByDocument.AddOrUpdate(document, url.PathAndQuery);
        return document;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IHtmlDocument, string> UrlByDocument = new();

    private static string ToRelative(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal) ? absolute.PathAndQuery : url;


    public void Dispose() => Client.Dispose();
}

public static class DocumentExtensions
{
    public static string Text(this IDocument document) => document.Body?.TextContent ?? "";

    public static IReadOnlyList<string> FieldErrors(this IDocument document) =>
        document.QuerySelectorAll(".field-validation-error, .validation-summary-errors li, #error-summary li.error-general").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();
}
