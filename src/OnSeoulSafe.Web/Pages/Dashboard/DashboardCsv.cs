using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace OnSeoulSafe.Web.Pages.Dashboard;

/// <summary>
/// Aggregate tables as CSV: no names of victims, narratives or links ever reach this class. A cell a spreadsheet
/// would run as a formula (starting with =, +, -, @, tab or carriage return) is prefixed with an apostrophe, and
/// counts from 1 to 4 are written "&lt;5" so a small group cannot be singled out.
/// </summary>
public static class DashboardCsv
{
    public const int SmallCount = 5;
    public const string Suppressed = "<5";

    public sealed record Table(string Name, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);

    /// <summary>A count as an export shows it.</summary>
    public static string Count(long n) => n is > 0 and < SmallCount ? Suppressed : n.ToString(CultureInfo.InvariantCulture);

    /// <summary>A statistic derived from <paramref name="basis"/> cases: left empty when fewer than five stand behind it.</summary>
    public static string Derived(long basis, string value) => basis < SmallCount ? "" : value;

    public static byte[] Write(Table table)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            InjectionOptions = InjectionOptions.Escape,
            InjectionEscapeCharacter = '\'',
            // Spreadsheets set to a semicolon separator (common where the decimal mark is a comma) split ";=..." into
            // a new cell that starts a formula: a leading ';' is escaped too, and a cell holding one is quoted whole.
            InjectionCharacters = ['=', '@', '+', '-', '\t', '\r', '\n', ';', '|'],
            ShouldQuote = args => ConfigurationFunctions.ShouldQuote(args) || (args.Field?.Contains(';', StringComparison.Ordinal) ?? false),
        };
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        using (var csv = new CsvWriter(writer, config))
        {
            foreach (var header in table.Headers) csv.WriteField(header);
            csv.NextRecord();
            foreach (var row in table.Rows)
            {
                foreach (var cell in row) csv.WriteField(cell);
                csv.NextRecord();
            }
        }
        return stream.ToArray();
    }
}
