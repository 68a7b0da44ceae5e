using System.Globalization;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>One line of the content ledger as the document prints it: the link and every dated step.</summary>
public sealed record LedgerEntry(ContentItem Item, string? PlatformName);

/// <summary>What the document says about the case besides its timeline (which is streamed, see <see cref="CaseFilePdf.WriteAsync"/>).</summary>
public sealed record CaseFileContents(
    Case Case,
    DateTimeOffset GeneratedAt,
    string GeneratedBy,
    IReadOnlyDictionary<Guid, string> StaffNames,
    IReadOnlyDictionary<int, string> PartnerNames,
    IReadOnlyList<LedgerEntry> Ledger,
    IReadOnlyList<EvidenceHash> FileFingerprints);

/// <summary>
/// Writes the case file as a PDF for the police or a court: the narrative and its additions with their times, the
/// consents, the content ledger and the whole timeline (oldest first), every page headed with the case number and
/// numbered "page n of m". Korean is set in Nanum Gothic (a TrueType font, embedded as a subset of the glyphs used).
/// The timeline is drawn as it is read, so a file with ten thousand events never holds them all at once.
/// </summary>
public sealed class CaseFilePdf : IDisposable
{
    private const double Margin = 50;
    private const double HeaderHeight = 28;
    private const double FooterHeight = 24;

    private readonly IStringLocalizer _labels;
    private readonly IStringLocalizer _text;
    private readonly PdfDocument _document = new();
    private readonly XFont _title;
    private readonly XFont _heading;
    private readonly XFont _body;
    private readonly XFont _bold;
    private readonly XFont _small;
    private readonly string _reference;
    private XGraphics? _graphics;
    private double _y;

    private CaseFilePdf(string reference, IStringLocalizer labels, IStringLocalizer text)
    {
        CaseFileFonts.EnsureInstalled();
        _reference = reference;
        _labels = labels;
        _text = text;
        var options = new XPdfFontOptions(PdfFontEncoding.Unicode, PdfFontEmbedding.TryComputeSubset);
        _title = new XFont(CaseFileFonts.Family, 16, XFontStyleEx.Bold, options);
        _heading = new XFont(CaseFileFonts.Family, 12, XFontStyleEx.Bold, options);
        _body = new XFont(CaseFileFonts.Family, 9.5, XFontStyleEx.Regular, options);
        _bold = new XFont(CaseFileFonts.Family, 9.5, XFontStyleEx.Bold, options);
        _small = new XFont(CaseFileFonts.Family, 8, XFontStyleEx.Regular, options);
        _document.Options.CompressContentStreams = true;
        _document.Info.Title = reference;
        // No author or subject: the document's properties say nothing the pages do not.
    }

    private static readonly double PageWidth = XUnit.FromMillimeter(210).Point;
    private static readonly double PageHeight = XUnit.FromMillimeter(297).Point;
    private static double TextWidth => PageWidth - 2 * Margin;

    /// <summary>Writes the document to <paramref name="output"/>; returns the number of pages.</summary>
    public static async Task<int> WriteAsync(
        CaseFileContents contents,
        IAsyncEnumerable<TimelineEvent> timelineOldestFirst,
        Stream output,
        IStringLocalizer<CasesText> labels,
        IStringLocalizer<CaseFileText> text,
        CancellationToken cancellationToken)
    {
        using var pdf = new CaseFilePdf(contents.Case.Reference, labels, text);
        pdf.NewPage();
        pdf.WriteSummary(contents);
        pdf.WriteNarrative(contents);
        pdf.WriteConsents(contents);
        pdf.WriteLedger(contents);
        pdf.Heading(text["Timeline (oldest first)"]);
        var count = 0;
        await foreach (var entry in timelineOldestFirst.WithCancellation(cancellationToken))
        {
            pdf.WriteEvent(entry, contents.StaffNames);
            count++;
        }
        if (count == 0) pdf.Paragraph(text["No events."], pdf._body);
        return pdf.Finish(contents.GeneratedAt, output);
    }

    private void WriteSummary(CaseFileContents contents)
    {
        var c = contents.Case;
        Line(_text["Case file {0}", c.Reference], _title, 24);
        Paragraph(_text["For the police or a court, with the victim's consent. Generated {0} (Korea time) by {1}.", KoreaTime.Format(contents.GeneratedAt), contents.GeneratedBy], _small);
        _y += 4;
        Field(_labels["Status"], _labels[CaseLabels.Of(c.Status)]);
        Field(_labels["Priority"], _labels[CaseLabels.Of(c.Priority)]);
        Field(_labels["Crime types"], string.Join(", ", c.CrimeTypes.Select(t => _labels[CaseLabels.Of(t)].Value)));
        Field(_labels["Minor"], c.IsMinor ? _labels["Yes"] : _labels["No"]);
        Field(_labels["Opened"], KoreaTime.Format(c.CreatedAt));
        Field(_labels["Support companion"], c.AssignedCompanion?.FirstName ?? _labels["Not assigned"]);
    }

    private void WriteNarrative(CaseFileContents contents)
    {
        var c = contents.Case;
        Heading(_labels["What happened, in the victim's words"]);
        var written = _text["Written {0}", KoreaTime.Format(c.Narrative.WrittenAt)].Value;
        if (c.Narrative.HappenedOn is { } on)
        {
            written += " · " + _text["Happened on {0}", on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)];
        }
        Paragraph(written, _small);
        Paragraph(c.Narrative.Text, _body);
        foreach (var amendment in c.Amendments.OrderBy(a => a.AddedAt).ThenBy(a => a.Id))
        {
            _y += 4;
            var by = amendment.StaffId is { } id && contents.StaffNames.TryGetValue(id, out var name)
                ? _text["Added {0} by {1}", KoreaTime.Format(amendment.AddedAt), name]
                : _text["Added {0} by the victim", KoreaTime.Format(amendment.AddedAt)];
            Paragraph(by, _bold);
            Paragraph(amendment.Text, _body);
        }
    }

    private void WriteConsents(CaseFileContents contents)
    {
        Heading(_labels["Consents"]);
        if (contents.Case.Consents.Count == 0)
        {
            Paragraph(_labels["The victim has not given any consent yet."], _body);
            return;
        }
        foreach (var consent in contents.Case.Consents.OrderBy(c => c.GivenAt).ThenBy(c => c.Id))
        {
            var partner = consent.PartnerInstitutionId is { } id && contents.PartnerNames.TryGetValue(id, out var name) ? name : _labels["Any partner"].Value;
            var line = $"{_labels[CaseLabels.Of(consent.Track)]} · {partner} · {_text["Given {0}", KoreaTime.Format(consent.GivenAt)]}";
            if (consent.WithdrawnAt is { } withdrawn) line += " · " + _text["Withdrawn {0}", KoreaTime.Format(withdrawn)];
            Paragraph(line, _body);
        }
    }

    private void WriteLedger(CaseFileContents contents)
    {
        Heading(_text["Content ledger"]);
        if (contents.Ledger.Count == 0 && contents.FileFingerprints.Count == 0)
        {
            Paragraph(_text["No links to content."], _body);
            return;
        }
        var number = 0;
        foreach (var (item, platform) in contents.Ledger)
        {
            number++;
            _y += 4;
            Paragraph($"{number}. {item.Url}", _bold);
            Paragraph(string.Join(" · ",
                _text["Platform: {0}", platform ?? _text["unknown"]],
                _text["Kind: {0}", Label(item.Kind)],
                _text["Found by: {0}", Label(item.FoundBy)],
                _text["First seen {0}", KoreaTime.Format(item.FirstSeenAt)],
                _text["Status: {0}", Label(item.Status)]), _body);
            if (item.Sha256 is { } sha) Paragraph("SHA-256: " + sha, _small);
            if (item.PerceptualHash is { } pdq) Paragraph("PDQ: " + pdq, _small);
            foreach (var request in item.Requests.OrderBy(r => r.RequestedAt).ThenBy(r => r.Id))
            {
                var line = _text["Deletion requested {0} ({1})", KoreaTime.Format(request.RequestedAt), Label(request.Channel)].Value;
                if (request.Outcome is { } outcome && request.ResolvedAt is { } resolved)
                {
                    line += " · " + _text["Answer: {0}, {1}", Label(outcome), KoreaTime.Format(resolved)];
                }
                else
                {
                    line += " · " + _text["No answer yet"];
                }
                if (request.VerifiedGoneAt is { } gone) line += " · " + _text["Verified gone {0}", KoreaTime.Format(gone)];
                if (request.ReappearedAt is { } back) line += " · " + _text["Reappeared {0}", KoreaTime.Format(back)];
                Paragraph(line, _body, indent: 12);
            }
            if (item.LastCheckedAt is { } checkedAt && item.LastCheckOutcome is { } checkOutcome)
            {
                var line = _text["Last re-check {0}: {1}", KoreaTime.Format(checkedAt), Label(checkOutcome)].Value;
                if (item.LastCheckHashMatched is { } matched) line += " · " + (matched ? _text["the file's hash still matches"] : _text["the file's hash no longer matches"]);
                Paragraph(line, _body, indent: 12);
            }
        }
        if (contents.FileFingerprints.Count > 0)
        {
            _y += 6;
            Paragraph(_text["File fingerprints offered by the victim (SHA-256, computed on her device)"], _bold);
            foreach (var hash in contents.FileFingerprints)
            {
                Paragraph($"{hash.Sha256} · {Label(hash.Kind)} · {KoreaTime.Format(hash.AddedAt)}", _small, indent: 12);
            }
        }
    }

    private void WriteEvent(TimelineEvent entry, IReadOnlyDictionary<Guid, string> staffNames)
    {
        var parts = new List<string> { KoreaTime.Format(entry.OccurredAt), _labels[CaseLabels.Of(entry.Kind)] };
        if (entry.Track is { } track) parts.Add(_labels[CaseLabels.Of(track)]);
        if (entry.StaffId is { } id && staffNames.TryGetValue(id, out var name)) parts.Add(name);
        if (!string.IsNullOrEmpty(entry.Place)) parts.Add(_labels["Place"] + ": " + entry.Place);
        if (entry.DurationMinutes is { } minutes) parts.Add(_labels["{0} min", minutes]);
        if (entry.Kind == TimelineEventKind.CaseFileExported && entry.Detail is { } detail) parts.Add(detail);
        Paragraph(string.Join(" · ", parts), _body);
        if (!string.IsNullOrEmpty(entry.Note)) Paragraph(entry.Note, _small, indent: 12);
    }

    private void Heading(string text)
    {
        _y += 10;
        if (_y + 40 > PageHeight - Margin - FooterHeight) NewPage();
        Line(text, _heading, 18);
        Graphics.DrawLine(XPens.Gray, Margin, _y - 3, PageWidth - Margin, _y - 3);
        _y += 3;
    }

    private void Field(string label, string value) => Paragraph($"{label}: {value}", _body);

    private void Paragraph(string text, XFont font, double indent = 0)
    {
        var lineHeight = font.Size * 1.45;
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split('\n'))
        {
            foreach (var line in Wrap(paragraph, font, TextWidth - indent))
            {
                Line(line, font, lineHeight, indent);
            }
        }
    }

    private void Line(string text, XFont font, double lineHeight, double indent = 0)
    {
        if (_y + lineHeight > PageHeight - Margin - FooterHeight) NewPage();
        Graphics.DrawString(text, font, XBrushes.Black, Margin + indent, _y, XStringFormats.TopLeft);
        _y += lineHeight;
    }

    /// <summary>Breaks at spaces; a word wider than the line (a long address, a hash) is broken by characters.</summary>
    private IEnumerable<string> Wrap(string text, XFont font, double width)
    {
        if (text.Length == 0)
        {
            yield return "";
            yield break;
        }
        var line = "";
        foreach (var word in text.Split(' '))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (Graphics.MeasureString(candidate, font).Width <= width)
            {
                line = candidate;
                continue;
            }
            if (line.Length > 0) yield return line;
            line = word;
            while (line.Length > 1 && Graphics.MeasureString(line, font).Width > width)
            {
                var fits = FittingPrefix(line, font, width);
                yield return line[..fits];
                line = line[fits..];
            }
        }
        yield return line;
    }

    private int FittingPrefix(string text, XFont font, double width)
    {
        int low = 1, high = text.Length;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (Graphics.MeasureString(text[..middle], font).Width <= width) low = middle;
            else high = middle - 1;
        }
        return low;
    }

    private static readonly Dictionary<Enum, string> Names = new()
    {
        [ContentKind.Video] = "Video",
        [ContentKind.Image] = "Image",
        [ContentKind.Post] = "Post",
        [ContentKind.Other] = "Other",
        [ContentFinder.Victim] = "the victim",
        [ContentFinder.Companion] = "the companion",
        [ContentFinder.CitizenMonitor] = "a citizen monitor",
        [ContentFinder.RecheckJob] = "the re-check",
        [ContentFinder.Monitoring] = "the center's monitoring",
        [ContentStatus.Found] = "Found",
        [ContentStatus.Requested] = "Deletion requested",
        [ContentStatus.Deleted] = "Deleted",
        [ContentStatus.Refused] = "Refused",
        [ContentStatus.NoResponse] = "No response",
        [ContentStatus.VerifiedGone] = "Verified gone",
        [ContentStatus.Reappeared] = "Reappeared",
        [RequestChannel.WebForm] = "web form",
        [RequestChannel.Email] = "e-mail",
        [RequestChannel.TrustedFlagger] = "trusted-flagger channel",
        [RecheckOutcome.Gone] = "gone",
        [RecheckOutcome.StillUp] = "still online",
        [RecheckOutcome.Unreachable] = "unreachable",
        [RecheckOutcome.Refused] = "refused by the site",
    };

    private string Label(Enum value) => _text[Names.TryGetValue(value, out var english) ? english : value.ToString()];

    public void Dispose()
    {
        _graphics?.Dispose();
        _document.Dispose();
    }

    private XGraphics Graphics => _graphics ?? throw new InvalidOperationException("No page.");

    private void NewPage()
    {
        _graphics?.Dispose();
        var page = _document.AddPage();
        page.Size = PageSize.A4;
        _graphics = XGraphics.FromPdfPage(page);
        _graphics.DrawString(_text["Case file {0}", _reference], _small, XBrushes.Black, Margin, Margin - 20, XStringFormats.TopLeft);
        _graphics.DrawLine(XPens.LightGray, Margin, Margin - 6, PageWidth - Margin, Margin - 6);
        _y = Margin + HeaderHeight - 20;
    }

    /// <summary>Numbers every page ("page n of m", known only now) and saves the document.</summary>
    private int Finish(DateTimeOffset generatedAt, Stream output)
    {
        _graphics?.Dispose();
        _graphics = null;
        var total = _document.PageCount;
        for (var i = 0; i < total; i++)
        {
            using var graphics = XGraphics.FromPdfPage(_document.Pages[i], XGraphicsPdfPageOptions.Append);
            var footer = _text["{0} · page {1} of {2} · generated {3}", _reference, i + 1, total, KoreaTime.Format(generatedAt)];
            graphics.DrawString(footer, _small, XBrushes.Black, Margin, PageHeight - Margin + 4, XStringFormats.TopLeft);
        }
        _document.Save(output, closeStream: false);
        return total;
    }
}
