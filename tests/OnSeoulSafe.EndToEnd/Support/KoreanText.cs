using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace OnSeoulSafe.EndToEnd.Support;

/// <summary>
/// Finds English wording on a page shown in Korean: three or more English words in a row in the visible text or in
/// the labels a screen reader reads. Data (references, addresses, people's Latin names) is skipped by the allow list,
/// and so is text marked <c>translate="no"</c> (codes and keys to be copied exactly).
/// </summary>
public static partial class KoreanText
{
    [GeneratedRegex(@"[A-Za-z][a-z']+(?:[ ,]+[A-Za-z][a-z']+){2,}")]
    private static partial Regex EnglishPhrase();

    public static async Task<IReadOnlyList<string>> EnglishPhrasesAsync(IPage page, params string[] allowed)
    {
        var text = await page.EvaluateAsync<string>("""
            () => {
                let visible = document.body.innerText;
                for (const el of document.querySelectorAll('[translate=no]')) visible = visible.replace(el.innerText, '');
                const parts = [visible, document.title];
                for (const el of document.querySelectorAll('[aria-label],[placeholder],[title],img[alt]')) {
                    parts.push(el.getAttribute('aria-label') || '', el.getAttribute('placeholder') || '', el.getAttribute('title') || '', el.getAttribute('alt') || '');
                }
                return parts.join('\n');
            }
            """);
        return [.. EnglishPhrase().Matches(text).Select(m => m.Value).Where(p => !allowed.Any(a => p.Contains(a, StringComparison.Ordinal))).Distinct()];
    }

    /// <summary>Error messages on the page (next to fields and in summaries) with no Korean in them, such as "The value '' is invalid.".</summary>
    public static async Task<IReadOnlyList<string>> ErrorsWithoutKoreanAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.field-validation-error, .validation-summary-errors li, #error-summary li, .text-danger')]
                .map(e => e.innerText.trim())
                .filter(t => t.length > 0 && !/[\uAC00-\uD7A3]/.test(t))
            """);
}
