using Microsoft.Extensions.Localization;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>How long something has waited, in the reader's language: minutes under an hour, hours under two days, then days.</summary>
public static class WaitingTime
{
    /// <summary>Uses the "{0} min", "{0} h" and "{0} days" texts of the page's own resource.</summary>
    public static string Text(TimeSpan age, IStringLocalizer text) =>
        age.TotalHours < 1 ? text["{0} min", Math.Max(0, (int)age.TotalMinutes)]
        : age.TotalHours < 48 ? text["{0} h", (int)age.TotalHours]
        : text["{0} days", (int)age.TotalDays];
}
