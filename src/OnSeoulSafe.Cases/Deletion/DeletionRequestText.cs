using System.Globalization;
using System.Text;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Deletion;

/// <summary>
/// The filled-in request a companion sends to a platform, from the platform's template in Korean or English.
/// Placeholders: <c>{reference}</c>, <c>{links}</c> (one per line), <c>{date}</c>, <c>{legal_basis}</c>, <c>{platform}</c>
/// and <c>{victim}</c>. The victim is named only when they consented (<see cref="Case.NameForDeletionRequests"/>);
/// otherwise <c>{victim}</c> reads "the person concerned". A template without <c>{victim}</c> gets a named line only
/// with consent, so the default is always a request without a name.
/// </summary>
public static class DeletionRequestText
{
    public const string Korean = "ko";
    public const string English = "en";

    public static string LegalBasis(string language, bool concernsMinor) => (language, concernsMinor) switch
    {
        (Korean, false) => "성폭력범죄의 처벌 등에 관한 특례법 제14조·제14조의2, 정보통신망 이용촉진 및 정보보호 등에 관한 법률 제44조의2(정보의 삭제요청 등)",
        (Korean, true) => "아동·청소년의 성보호에 관한 법률 제11조, 성폭력범죄의 처벌 등에 관한 특례법 제14조·제14조의2, 정보통신망 이용촉진 및 정보보호 등에 관한 법률 제44조의2(정보의 삭제요청 등)",
        (_, false) => "Act on Special Cases Concerning the Punishment of Sexual Crimes, Articles 14 and 14-2; Act on Promotion of Information and Communications Network Utilization and Information Protection, Article 44-2 (requests for deletion of information)",
        (_, true) => "Act on the Protection of Children and Youth against Sex Offenses, Article 11; Act on Special Cases Concerning the Punishment of Sexual Crimes, Articles 14 and 14-2; Act on Promotion of Information and Communications Network Utilization and Information Protection, Article 44-2 (requests for deletion of information)",
    };

    public static string Compose(
        Platform platform,
        string language,
        string reference,
        IReadOnlyList<string> links,
        DateOnly date,
        bool concernsMinor,
        string? victimName)
    {
        var korean = language == Korean;
        var template = korean ? platform.TemplateKo : platform.TemplateEn;
        var named = !string.IsNullOrWhiteSpace(victimName);
        var person = named ? victimName!.Trim() : korean ? "피해 당사자" : "the person concerned";
        var text = new StringBuilder(template)
            .Replace("{reference}", reference)
            .Replace("{links}", string.Join('\n', links.Select(l => "- " + l)))
            .Replace("{date}", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .Replace("{legal_basis}", LegalBasis(korean ? Korean : English, concernsMinor))
            .Replace("{platform}", platform.Name);
        if (template.Contains("{victim}", StringComparison.Ordinal))
        {
            text.Replace("{victim}", person);
        }
        else if (named)
        {
            text.Append('\n').Append(korean ? "피해 당사자: " : "Person concerned: ").Append(person);
        }
        return text.ToString();
    }

    /// <summary>
    /// One request to a platform covering links of several cases: each link carries its own reference, and
    /// <c>{reference}</c> lists them all. Never a victim's name, whatever each case allows: a text read alongside
    /// other cases' links names nobody.
    /// </summary>
    public static string ComposeForMany(
        Platform platform,
        string language,
        IReadOnlyList<(string Reference, string Url)> links,
        DateOnly date,
        bool concernsMinor)
    {
        var references = string.Join(", ", links.Select(l => l.Reference).Distinct());
        return Compose(platform, language, references, links.Select(l => $"{l.Url} ({l.Reference})").ToList(), date, concernsMinor, victimName: null);
    }
}
