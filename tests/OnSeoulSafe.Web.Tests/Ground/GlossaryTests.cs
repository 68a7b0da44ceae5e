using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace OnSeoulSafe.Web.Tests.Ground;

/// <summary>
/// The Korean of the portal follows docs/GLOSSARY.md: no word from its "Not to use" columns appears in any Korean
/// text, and the caseworker's words of "Not on victim pages" stay off the victim's pages.
/// </summary>
public sealed partial class GlossaryTests
{
    // The victim's own pages: the report, its receipt and the status page.
    private static readonly string[] VictimResources = ["ReportText", "StatusText"];

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Quoted();

    [Fact]
    public void No_Korean_text_uses_a_word_the_glossary_rules_out()
    {
        // Arrange
        var banned = NotToUse(victimOnly: false);
        banned.ShouldContain("당신");
        banned.ShouldContain("안전 단어");
        banned.ShouldContain("(으)로");

        // Act
        var found = KoreanTexts()
            .SelectMany(t => banned.Where(word => t.Korean.Contains(word, StringComparison.Ordinal)).Select(word => $"{t.Resource}: \"{t.Key}\" uses \"{word}\": {t.Korean}"))
            .ToList();

        // Assert
        found.ShouldBeEmpty(string.Join("\n", found));
    }

    [Fact]
    public void The_victims_pages_use_her_words_not_the_caseworkers()
    {
        // Arrange
        var banned = NotToUse(victimOnly: true);
        banned.ShouldContain("사례");

        // Act
        var found = KoreanTexts()
            .Where(t => VictimResources.Contains(t.Resource))
            .SelectMany(t => banned.Where(word => t.Korean.Contains(word, StringComparison.Ordinal)).Select(word => $"{t.Resource}: \"{t.Key}\" uses \"{word}\": {t.Korean}"))
            .ToList();

        // Assert
        found.ShouldBeEmpty(string.Join("\n", found));
    }

    [Fact]
    public void Korean_resources_and_the_glossary_are_found()
    {
        KoreanTexts().Select(t => t.Resource).Distinct().ShouldContain("StatusText");
        KoreanTexts().Count.ShouldBeGreaterThan(500);
    }

    /// <summary>The words in backticks in each table's last column ("Not to use"), below the given heading or above it.</summary>
    private static List<string> NotToUse(bool victimOnly)
    {
        var words = new List<string>();
        var inVictimSection = false;
        var notToUseColumn = -1;
        foreach (var line in File.ReadLines(Path.Combine(RepositoryRoot(), "docs", "GLOSSARY.md")))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inVictimSection = line.Contains("Not on victim pages", StringComparison.Ordinal);
                notToUseColumn = -1;
                continue;
            }
            if (!line.StartsWith('|')) continue;
            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToList();
            if (cells.Contains("Not to use"))
            {
                notToUseColumn = cells.IndexOf("Not to use");
                continue;
            }
            if (notToUseColumn < 0 || notToUseColumn >= cells.Count || inVictimSection != victimOnly) continue;
            words.AddRange(Quoted().Matches(cells[notToUseColumn]).Select(m => m.Groups[1].Value));
        }
        return words;
    }

    private sealed record KoreanText(string Resource, string Key, string Korean);

    private static List<KoreanText> KoreanTexts() =>
        [.. Directory.GetFiles(Path.Combine(RepositoryRoot(), "src", "OnSeoulSafe.Web", "Resources"), "*.ko.resx")
            .SelectMany(file => XDocument.Load(file).Root!.Elements("data").Select(d => new KoreanText(
                Path.GetFileName(file).Replace(".ko.resx", "", StringComparison.Ordinal),
                d.Attribute("name")!.Value,
                d.Element("value")!.Value)))];

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OnSeoulSafe.sln"))) root = root.Parent;
        return root?.FullName ?? throw new InvalidOperationException("OnSeoulSafe.sln not found above " + AppContext.BaseDirectory);
    }
}
