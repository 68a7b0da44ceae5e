using System.Net;
using System.Text.RegularExpressions;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.Bench;

/// <summary>
/// Cookies and the antiforgery token a browser would hold, fetched once and reused for every request of a
/// scenario (the portal's antiforgery tokens are not single-use).
/// </summary>
public sealed partial class PortalSession(HttpClient http)
{
    private readonly Dictionary<string, string> _cookies = [];

    public string? Token { get; private set; }

    public string CookieHeader => string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"));

    /// <summary>GETs a form page and keeps its antiforgery cookie and token.</summary>
    public async Task LoadFormAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
        }
        Token = TokenPattern().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"GET {path} carried no antiforgery token.");
    }

    /// <summary>Keeps the antiforgery token of a page already read.</summary>
    public void ReadToken(string html)
    {
        if (TokenPattern().Match(html) is { Success: true } match) Token = WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static long _lastStep;

    /// <summary>Signs in with a demo account as staff do: password, then a code from the account's authenticator key.</summary>
    public async Task SignInAsync(string email, string authenticatorKey, CancellationToken cancellationToken)
    {
        var account = DemoData.Accounts.SingleOrDefault(a => a.Email == email)
            ?? throw new InvalidOperationException($"{email} is not a demo account.");
        await LoadFormAsync("/account/login", cancellationToken);
        using (var form = new FormUrlEncodedContent([new("Input.Email", account.Email), new("Input.Password", account.Password), new("__af", Token!)]))
        using (var response = await SendAsync(HttpMethod.Post, "/account/login", form, cancellationToken))
        {
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"Signing in as {email} failed ({(int)response.StatusCode}).");
            }
        }
        await LoadFormAsync("/account/two-factor", cancellationToken);
        using var second = new FormUrlEncodedContent([new("Code", NextCode(authenticatorKey)), new("__af", Token!)]);
        using var done = await SendAsync(HttpMethod.Post, "/account/two-factor", second, cancellationToken);
        if (done.StatusCode != HttpStatusCode.Redirect || !_cookies.ContainsKey("oss.staff"))
        {
            throw new InvalidOperationException($"The second sign-in step as {email} failed ({(int)done.StatusCode}).");
        }
    }

    /// <summary>Codes are single-use per time step: each sign-in takes a step no earlier sign-in used (the portal accepts ±1).</summary>
    private static string NextCode(string key)
    {
        var now = SingleUseTotp.CurrentStep(TimeProvider.System.GetUtcNow());
        var step = Math.Max(now - 1, Interlocked.Read(ref _lastStep) + 1);
        if (step > now + 1) throw new InvalidOperationException("More staff sign-ins than time steps allow; run scenarios further apart.");
        Interlocked.Exchange(ref _lastStep, step);
        return SingleUseTotp.Code(Base32.Decode(key), step);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (_cookies.Count > 0) request.Headers.Add("Cookie", CookieHeader);
        var response = await http.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                var pair = setCookie.Split(';', 2)[0];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0) _cookies[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
            }
        }
        return response;
    }

    [GeneratedRegex("name=\"__af\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
