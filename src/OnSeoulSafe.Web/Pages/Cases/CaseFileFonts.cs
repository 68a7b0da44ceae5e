using PdfSharp.Fonts;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>The case file's font is missing on this machine: the page says so instead of failing.</summary>
public sealed class CaseFileFontMissingException(string message) : Exception(message);

/// <summary>
/// Gives PDFsharp the Korean font of the case file: Nanum Gothic, a TrueType (glyf) font that PDFsharp embeds as a
/// subset of the glyphs used (Noto Sans CJK, the browser tests' font, is a collection with CFF outlines).
/// Debian's <c>fonts-nanum</c> installs it under <see cref="DefaultDirectory"/>; <c>CaseFile:FontDirectory</c>
/// points elsewhere.
/// </summary>
public sealed class CaseFileFonts : IFontResolver
{
    public const string Family = "Nanum Gothic";
    public const string DefaultDirectory = "/usr/share/fonts/truetype/nanum";
    public const string ConfigurationKey = "CaseFile:FontDirectory";

    private const string Regular = "NanumGothic.ttf", Bold = "NanumGothicBold.ttf";
    private static readonly Lock Gate = new();
    private static bool _installed;
    private readonly Dictionary<string, byte[]> _faces = [];

    /// <summary>
    /// Registers the resolver once per process (PDFsharp's font settings are global), reading the fonts from
    /// <paramref name="directory"/> (<see cref="DefaultDirectory"/> when not given).
    /// </summary>
    public static void EnsureInstalled(string? directory = null)
    {
        lock (Gate)
        {
            if (_installed) return;
            var from = string.IsNullOrWhiteSpace(directory) ? DefaultDirectory : directory;
            var faces = new CaseFileFonts();
            foreach (var file in new[] { Regular, Bold })
            {
                var path = Path.Combine(from, file);
                if (!File.Exists(path))
                {
                    throw new CaseFileFontMissingException($"The case file font {file} is not installed (Debian package fonts-nanum).");
                }
                faces._faces[file] = File.ReadAllBytes(path);
            }
            GlobalFontSettings.FontResolver = faces;
            _installed = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular);

    public byte[]? GetFont(string faceName) => _faces.GetValueOrDefault(faceName);
}
