using System.Globalization;

namespace ServiceAccounts.Web.Components.Shared;

/// <summary>"3 hours ago", "in 5 days", "Never": times as people read them, with the exact UTC time for a tooltip.</summary>
public static class RelativeTime
{
    public const string Never = "Never";

    public static string Describe(DateTime? at, DateTime now)
    {
        if (at is not { } value)
        {
            return Never;
        }
        var delta = ToUtc(now) - ToUtc(value);
        var future = delta < TimeSpan.Zero;
        var span = future ? -delta : delta;
        if (span < TimeSpan.FromMinutes(1))
        {
            return future ? "in less than a minute" : "just now";
        }
        var text = span switch
        {
            _ when span < TimeSpan.FromHours(1) => Plural((int)span.TotalMinutes, "minute"),
            _ when span < TimeSpan.FromDays(1) => Plural((int)span.TotalHours, "hour"),
            // Ahead, a part-day counts as a day: a token made for 7 days reads "in 7 days", not "in 6 days".
            _ when span < TimeSpan.FromDays(30) => Plural(future ? (int)Math.Ceiling(span.TotalDays) : (int)span.TotalDays, "day"),
            _ when span < TimeSpan.FromDays(365) => Plural((int)(span.TotalDays / 30), "month"),
            _ => Plural((int)(span.TotalDays / 365), "year"),
        };
        return future ? $"in {text}" : $"{text} ago";
    }

    /// <summary>The exact time, in UTC, as shown on hover: 2026-12-04 16:05:09 UTC.</summary>
    public static string Exact(DateTime at) => ToUtc(at).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>For the <c>datetime</c> attribute of a &lt;time&gt; element.</summary>
    public static string Iso(DateTime at) => ToUtc(at).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    // Core stores UTC; a value read back from SQLite arrives with Kind Unspecified.
    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";
}
