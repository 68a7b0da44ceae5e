using System.Text.Json;
using Microsoft.Playwright;

namespace OnSeoulSafe.EndToEnd.Support;

/// <summary>
/// Runs axe-core (tests/OnSeoulSafe.EndToEnd/axe, from npm; test tooling, never served by the portal) in the page
/// and lists its serious and critical violations.
/// </summary>
public static class Axe
{
    private static readonly Lazy<string> Source = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "axe", "axe.min.js")));

    /// <param name="page">The page as it is on screen now.</param>
    /// <param name="rules">Only these axe rules (ids), or every rule when none are given.</param>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page, params string[] rules)
    {
        // Evaluated through the DevTools protocol, so the portal's CSP (no inline script) stays on while axe runs.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            await page.EvaluateAsync(Source.Value);
        }
        var json = await page.EvaluateAsync<string>("""
            async rules => {
                const options = { resultTypes: ['violations'] };
                if (rules.length > 0) options.runOnly = { type: 'rule', values: rules };
                const result = await axe.run(document, options);
                return JSON.stringify(result.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' (' + (n.failureSummary || '').replace(/\s+/g, ' ') + ')').join('; ')}`));
            }
            """, rules);
        return JsonSerializer.Deserialize<string[]>(json) ?? [];
    }

    public static async Task ShouldPassAsync(IPage page, string what)
    {
        var violations = await SeriousViolationsAsync(page);
        violations.ShouldBeEmpty($"axe-core on {what} ({page.Url}):\n" + string.Join("\n", violations));
    }
}
