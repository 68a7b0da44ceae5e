using System.Globalization;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>Times are stored in UTC and shown in Korea time, the centre's and the victims' clock.</summary>
public static class SeoulTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Seoul");

    public static DateTimeOffset ToSeoul(this DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Zone);

    /// <summary>e.g. "2026-11-22 14:30".</summary>
    public static string Show(this DateTimeOffset utc) => utc.ToSeoul().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Show(this DateTimeOffset? utc) => utc is { } value ? value.Show() : "";
}
