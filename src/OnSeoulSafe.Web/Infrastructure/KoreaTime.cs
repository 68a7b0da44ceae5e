using System.Globalization;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>Staff work in Seoul: times are stored in UTC and shown in Korea time.</summary>
public static class KoreaTime
{
    public static readonly TimeZoneInfo Zone = FindZone();

    public static DateTimeOffset ToKorea(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    public static string Format(DateTimeOffset? at) =>
        at is { } value ? ToKorea(value).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "";

    public static string FormatDate(DateTimeOffset? at) =>
        at is { } value ? ToKorea(value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";

    /// <summary>A wall-clock time typed by staff (Korea time) as a UTC instant.</summary>
    public static DateTimeOffset FromKorea(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, Zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }

    public static TimeOnly TimeOfDay(DateTimeOffset at) => TimeOnly.FromDateTime(ToKorea(at).DateTime);

    /// <summary>Midnight of the Korean day <paramref name="at"/> falls in, as a UTC instant.</summary>
    public static DateTimeOffset StartOfDay(DateTimeOffset at) => FromKorea(ToKorea(at).Date);

    private static TimeZoneInfo FindZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Seoul");
        }
        catch (TimeZoneNotFoundException)
        {
            // Korea has kept UTC+9 without daylight saving since 1988.
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Seoul", TimeSpan.FromHours(9), "Korea Standard Time", "KST");
        }
    }
}
