using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace OnSeoulSafe.EndToEnd.Support;

/// <summary>
/// Runs axe-core in the page through Deque.AxeCore.Playwright (test tooling, never served by the portal) and lists its
/// serious and critical violations.
/// </summary>
public static class Axe
{
    /// <param name="page">The page as it is on screen now.</param>
    /// <param name="rules">Only these axe rules (ids), or every rule when none are given.</param>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page, params string[] rules)
    {
        // The package evaluates axe through the DevTools protocol, so the portal's CSP (no inline script) stays on.
        var options = new AxeRunOptions { ResultTypes = [ResultType.Violations] };
        if (rules.Length > 0) options.RunOnly = new RunOnlyOptions { Type = "rule", Values = [.. rules] };
        var result = await page.RunAxe(options);
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} — " + string.Join("; ", v.Nodes.Take(3).Select(Describe)))
            .ToList();
    }

    public static async Task ShouldPassAsync(IPage page, string what)
    {
        var violations = await SeriousViolationsAsync(page);
        violations.ShouldBeEmpty($"axe-core on {what} ({page.Url}):\n" + string.Join("\n", violations));
    }

    private static string Describe(AxeResultNode node)
    {
        var checks = node.Any.Concat(node.All).Concat(node.None).Select(c => c.Message).Where(m => !string.IsNullOrWhiteSpace(m));
        return $"{node.Target} ({string.Join(" ", checks)})";
    }
}
