using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Notices;

/// <summary>A template names a field the portal does not fill: the notice cannot be sent as configured.</summary>
public sealed class NoticeTemplateException(string field) : Exception("A notice template names an unknown field.")
{
    /// <summary>The reason word recorded on the notice (<c>template-field:name</c>).</summary>
    public string Reason { get; } = "template-field:" + (field.Length > 40 ? field[..40] : field);
}

/// <summary>What one notice says: the subject, the request text and the body an HTTP endpoint gets.</summary>
public sealed record NoticeMessage(long NoticeId, string Reference, IReadOnlyList<string> Addresses, string Subject, string Text, string Body, string ContentType);

/// <summary>
/// The notice's words: the platform's request template (its language) filled by <see cref="DeletionRequestText"/>, never
/// with the victim's name (a notice the portal sends carries the content address only), plus the platform's own
/// reference of the earlier notice on a second one. The HTTP body comes from the platform's body template with each
/// field escaped for JSON or a form. A field the portal does not know refuses the notice (<see cref="NoticeTemplateException"/>).
/// </summary>
public static partial class NoticeText
{
    private static readonly string[] BodyFields = ["reference", "addresses", "text", "platform", "date", "notice"];

    public static NoticeMessage Compose(DeletionNotice notice, Platform platform, string reference, string address, bool concernsMinor, string? earlierReference, DateTimeOffset now)
    {
        var korean = notice.Language == DeletionRequestText.Korean;
        var date = DateOnly.FromDateTime(now.UtcDateTime);
        var text = DeletionRequestText.Compose(platform, korean ? DeletionRequestText.Korean : DeletionRequestText.English, reference, [address], date, concernsMinor, victimName: null);
        if (Placeholder().Match(text) is { Success: true } left) throw new NoticeTemplateException(left.Groups[1].Value);
        if (notice.Step == NoticeStep.Second)
        {
            var second = korean ? "\n\n이 요청은 두 번째 요청입니다. 첫 요청 후 기한 안에 삭제되지 않았습니다." : "\n\nThis is a second notice: the content was not removed within the deadline after the first.";
            text += second;
            if (earlierReference is not null) text += korean ? $"\n플랫폼 측 참조 번호: {earlierReference}" : $"\nYour reference: {earlierReference}";
        }
        var subject = korean
            ? (notice.Step == NoticeStep.Second ? $"[두 번째 요청] 삭제 요청 {reference}" : $"삭제 요청 {reference}")
            : (notice.Step == NoticeStep.Second ? $"[Second notice] Removal request {reference}" : $"Removal request {reference}");
        var noticeKey = NoticeKey(notice.Id);
        var (body, contentType) = Body(platform, reference, address, text, date, noticeKey);
        return new NoticeMessage(notice.Id, reference, [address], subject, text, body, contentType);
    }

    /// <summary>The notice's own key, sent as Message-ID and Idempotency-Key so a platform can tell a repeat.</summary>
    public static string NoticeKey(long noticeId) => $"notice-{noticeId.ToString(CultureInfo.InvariantCulture)}";

    private static (string Body, string ContentType) Body(Platform platform, string reference, string address, string text, DateOnly date, string noticeKey)
    {
        var json = platform.NoticeBodyFormat == NoticeBodyFormat.Json;
        var values = new Dictionary<string, string>
        {
            ["reference"] = reference,
            ["addresses"] = address,
            ["text"] = text,
            ["platform"] = platform.Name,
            ["date"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["notice"] = noticeKey,
        };
        if (platform.NoticeBodyTemplate is not { } template)
        {
            return json
                ? (JsonSerializer.Serialize(new { reference, addresses = new[] { address }, text, notice = noticeKey }), "application/json")
                : (Form(values.Where(v => v.Key is "reference" or "addresses" or "text" or "notice")), "application/x-www-form-urlencoded");
        }
        var unknown = Placeholder().Matches(template).Select(m => m.Groups[1].Value).FirstOrDefault(f => !BodyFields.Contains(f));
        if (unknown is not null) throw new NoticeTemplateException(unknown);
        var body = new StringBuilder(template);
        foreach (var (field, value) in values)
        {
            var escaped = json
                ? field == "addresses" ? JsonSerializer.Serialize(new[] { value }) : JsonSerializer.Serialize(value)[1..^1]
                : Uri.EscapeDataString(value);
            body.Replace("{" + field + "}", escaped);
        }
        return (body.ToString(), json ? "application/json" : "application/x-www-form-urlencoded");
    }

    private static string Form(IEnumerable<KeyValuePair<string, string>> values) =>
        string.Join('&', values.Select(v => Uri.EscapeDataString(v.Key) + "=" + Uri.EscapeDataString(v.Value)));

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
