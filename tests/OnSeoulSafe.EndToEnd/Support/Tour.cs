using System.Diagnostics;
using Microsoft.Playwright;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.EndToEnd.Support;

/// <summary>
/// One walk through <see cref="PageTour"/> in one language: a browser profile per visitor, the data earlier rows made,
/// and the checks every screen gets (language, axe-core, Korean text, no sideways scrolling on a phone, screenshots
/// on a phone and on a laptop). Problems are collected, so one run reports them all.
/// </summary>
public sealed class Tour(PortalServer portal, string language)
{
    public const int PhoneWidth = 390;
    public const int PhoneHeight = 844;
    public const int LaptopWidth = 1280;
    public const int LaptopHeight = 900;

    // Data, not wording: Latin names of demo staff, platforms and partners, example addresses.
    private static readonly string[] DataInKorean = ["example", "Minho", "Hana", "Doyun", "Seo", "Example", "Tour"];

    // The screens the README shows (docs/screenshots/): also saved as they first appear, not only as the whole page.
    private static readonly string[] FirstScreens = ["report-1", "status-case", "case-file", "dashboard"];

    private readonly Dictionary<Visitor, IPage> _pages = [];
    private readonly Dictionary<string, TimeSpan> _spent = [];

    public PortalServer Portal => portal;

    public string Language => language;

    public List<string> Problems { get; } = [];

    /// <summary>How many screens have been checked: each row must check at least one, or say it only redirects.</summary>
    public int Screens { get; private set; }

    /// <summary>The case the victim filed on this tour, and its access code.</summary>
    public string Reference { get; set; } = "";

    public string Code { get; set; } = "";

    public string CaseSegment => Reference.ToLowerInvariant();

    private string Culture => language == "ko" ? "ko-KR" : "en-US";

    public async Task<IPage> PageForAsync(Visitor visitor)
    {
        if (_pages.TryGetValue(visitor, out var existing)) return existing;
        var page = visitor == Visitor.Victim
            ? await portal.NewPageAsync(Culture, PhoneWidth, PhoneHeight)
            : await portal.NewPageAsync(Culture, LaptopWidth, LaptopHeight);
        switch (visitor)
        {
            case Visitor.Victim or Visitor.Anonymous:
                break;
            case Visitor.Newcomer:
                // A staff account made for this tour, not yet enrolled: the password leads to enrolment.
                var newcomer = await portal.CreateStaffAsync($"newcomer-{language}@onseoulsafe.example", "violet-anchor-meadow-dune", StaffRoles.Companion);
                await PortalServer.EnterPasswordAsync(page, newcomer);
                await page.WaitForURLAsync("**/account/enrol**");
                break;
            default:
                await portal.SignInAsync(page, RoleOf(visitor));
                break;
        }
        _pages[visitor] = page;
        return page;
    }

    /// <summary>Opens a page and checks it; a redirect elsewhere (sign-in, denied) is a problem.</summary>
    public async Task ShowAsync(IPage page, string path, string name)
    {
        await page.GotoAsync(path);
        var landed = new Uri(page.Url).AbsolutePath;
        if (!string.Equals(landed, path.Split('?')[0], StringComparison.OrdinalIgnoreCase))
        {
            Problems.Add($"{name} ({language}): {path} went to {landed}");
        }
        await CheckAsync(page, name);
        await PostFormsEmptyAsync(page, path, name);
    }

    /// <summary>
    /// In Korean, each form of the page that has fields is sent with nothing filled in, as a person pressing its first
    /// button would (the browser's own checks off, so the portal's errors are the ones shown): the answer may show no
    /// English, its errors included, and every text it asks for must have a Korean entry (checked at the tour's end).
    /// The page is opened again afterwards, so the row goes on from where it was.
    /// </summary>
    public async Task PostFormsEmptyAsync(IPage page, string path, string name)
    {
        if (language != "ko") return;
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(path);
        var forms = await page.EvaluateAsync<int>($"() => ({FormsWithFields})().length");
        for (var i = 0; i < forms; i++)
        {
            if (i > 0) await page.GotoAsync(path);
            var what = $"{name} (ko) with form {i + 1} of {forms} sent empty";
            var state = await page.EvaluateAsync<string>(EmptyTheForm, i);
            if (state == "gone") break; // an earlier empty form was accepted and the page now has fewer forms
            if (state != "ready")
            {
                Problems.Add($"{what}: the form has no submit button");
                continue;
            }
            // The page that sent the form is marked, so the answer is the page without the mark.
            await page.EvaluateAsync("() => { document.documentElement.dataset.sent = ''; const b = document.querySelector('[data-empty-submit]'); b.form.requestSubmit(b); }");
            // A form checked in the browser first (client-side validation) stays on the page and marks its fields.
            await page.WaitForFunctionAsync(
                "() => !document.documentElement.hasAttribute('data-sent') || document.querySelector('main form [aria-invalid=\"true\"]') !== null",
                null, new PageWaitForFunctionOptions { Timeout = 15_000 });
            await page.WaitForLoadStateAsync(LoadState.Load);
            foreach (var phrase in await KoreanText.EnglishPhrasesAsync(page, DataInKorean)) Problems.Add($"{what}: shows English \"{phrase}\"");
            foreach (var error in await KoreanText.ErrorsWithoutKoreanAsync(page)) Problems.Add($"{what}: error not in Korean \"{error}\"");
            EmptyPosts++;
        }
        await page.GotoAsync(path);
        Spend("empty forms", clock);
    }

    /// <summary>How many forms have been sent empty (Korean tour only).</summary>
    public int EmptyPosts { get; private set; }

    // Forms in the page's main part that post and have a field a person fills in (not only buttons or hidden values).
    private const string FormsWithFields = """
        () => [...document.querySelectorAll('main form')].filter(f => (f.getAttribute('method') || '').toLowerCase() === 'post'
            && [...f.elements].some(e => !e.disabled && (e.tagName === 'TEXTAREA' || e.tagName === 'SELECT'
                || (e.tagName === 'INPUT' && !['hidden', 'submit', 'button', 'reset', 'image'].includes(e.type)))))
        """;

    // Clears every field of the i-th such form and marks its first submit button (never a language switch).
    private const string EmptyTheForm = "i => { const f = (" + FormsWithFields + """
        )()[i];
            if (!f) return 'gone';
            f.noValidate = true;
            for (const e of f.elements) {
                if (e.type === 'checkbox' || e.type === 'radio') e.checked = false;
                else if (e.tagName === 'SELECT') e.selectedIndex = -1;
                else if (e.tagName === 'TEXTAREA' || (e.tagName === 'INPUT' && !['hidden', 'submit', 'button', 'reset', 'image', 'file'].includes(e.type))) e.value = '';
            }
            const b = [...f.querySelectorAll('button, input[type=submit]')].find(b => b.type === 'submit' && b.name !== 'culture');
            if (!b) return 'no button';
            b.setAttribute('data-empty-submit', '');
            return 'ready';
        }
        """;

    /// <summary>For a page that has nothing to show: its GET only sends the browser on.</summary>
    public async Task RedirectsAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        var landed = new Uri(page.Url).AbsolutePath;
        if (string.Equals(landed, path, StringComparison.OrdinalIgnoreCase))
        {
            Problems.Add($"{path} ({language}) shows a page: give its row a screen to check");
        }
        Screens++;
    }

    /// <summary>
    /// For a page that sends the browser out of the portal: its answer is checked without following it, since the
    /// browser's interception answers the neutral site only when it is asked for directly, not after a redirect.
    /// </summary>
    public async Task LeavesForAsync(IPage page, string path, string target)
    {
        var response = await page.APIRequest.GetAsync(path, new APIRequestContextOptions { MaxRedirects = 0 });
        if (response.Status != 302 || response.Headers.GetValueOrDefault("location") != target)
        {
            Problems.Add($"{path} ({language}) answered {response.Status} to {response.Headers.GetValueOrDefault("location")}, not a redirect to {target}");
        }
        Screens++;
    }

    /// <summary>Checks the screen the page shows now, under the given name.</summary>
    public async Task CheckAsync(IPage page, string name)
    {
        Screens++;
        var lang = await page.Locator("html").GetAttributeAsync("lang");
        if (lang != language) Problems.Add($"{name} is in '{lang}', not {language}");
        var clock = Stopwatch.StartNew();
        await Support.Screens.SaveAsync(page, $"{language}-{name}", firstScreen: FirstScreens.Contains(name));
        Spend("screenshots", clock);
        foreach (var violation in await Axe.SeriousViolationsAsync(page)) Problems.Add($"{name} ({language}) axe: {violation}");
        Spend("axe-core", clock);
        if (language == "ko")
        {
            foreach (var phrase in await KoreanText.EnglishPhrasesAsync(page, DataInKorean)) Problems.Add($"{name} (ko) shows English: \"{phrase}\"");
        }

        // The same screen on the other kind of device, once its layout (charts included) has followed the new size.
        var primary = page.ViewportSize!;
        var onPhone = primary.Width == PhoneWidth;
        if (onPhone)
        {
            await CheckFitsAsync(page, name);
            await page.SetViewportSizeAsync(LaptopWidth, LaptopHeight);
            await AfterLayoutAsync(page);
            await Support.Screens.SaveFullPageAsync(page, $"{language}-{name}-laptop");
        }
        else
        {
            await page.SetViewportSizeAsync(PhoneWidth, PhoneHeight);
            await AfterLayoutAsync(page);
            await CheckFitsAsync(page, name);
            await Support.Screens.SaveFullPageAsync(page, $"{language}-{name}-phone");
        }
        await page.SetViewportSizeAsync(primary.Width, primary.Height);
        Spend("second size", clock);
    }

    /// <summary>Where the checks' time went (the rest is the visitors' own steps), for keeping the suite fast.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Spent => _spent;

    private void Spend(string what, Stopwatch clock)
    {
        _spent[what] = _spent.GetValueOrDefault(what) + clock.Elapsed;
        clock.Restart();
    }

    private static async Task AfterLayoutAsync(IPage page) =>
        await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");

    /// <summary>On a phone nothing may push the page sideways; wide tables scroll inside their own box.</summary>
    private async Task CheckFitsAsync(IPage page, string name)
    {
        var overflow = await page.EvaluateAsync<string[]>("""
            () => {
                const width = document.documentElement.clientWidth;
                if (document.documentElement.scrollWidth <= width) return [];
                return [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > width + 1 && !e.parentElement.closest('.table-responsive, .overflow-auto'))
                    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
                    .slice(0, 3)
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).trim().replace(/\s+/g, '.') : ''));
            }
            """);
        if (overflow.Length > 0) Problems.Add($"{name} ({language}) is wider than a phone: {string.Join(", ", overflow)}");
        // What only a narrow screen brings: boxes that scroll sideways must be reachable with the keyboard.
        foreach (var violation in await Axe.SeriousViolationsAsync(page, "scrollable-region-focusable")) Problems.Add($"{name} ({language}) on a phone, axe: {violation}");
    }

    private static string RoleOf(Visitor visitor) => visitor switch
    {
        Visitor.Companion => StaffRoles.Companion,
        Visitor.Manager => StaffRoles.Manager,
        Visitor.Monitor => StaffRoles.Monitor,
        Visitor.Auditor => StaffRoles.Auditor,
        Visitor.Admin => StaffRoles.Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(visitor), visitor, "not a signed-in role"),
    };
}
