namespace ServiceAccounts.Core.Tokens;

/// <summary>What the creator of a token asked for: Never, a duration from now, or a date (the token expires at its start, UTC).</summary>
public abstract record TokenExpiration
{
    public static readonly TimeSpan MinimumDuration = TimeSpan.FromHours(1);

    /// <summary>The preset durations the console offers.</summary>
    public static readonly IReadOnlyList<int> PresetDays = [7, 30, 60, 90, 365];

    public static TokenExpiration Never { get; } = new NeverExpires();

    public static TokenExpiration After(TimeSpan duration) => new Duration(duration);

    public static TokenExpiration AfterDays(int days) => new Duration(TimeSpan.FromDays(days));

    public static TokenExpiration On(DateOnly date) => new OnDate(date);

    public sealed record NeverExpires : TokenExpiration;

    public sealed record Duration(TimeSpan Length) : TokenExpiration;

    public sealed record OnDate(DateOnly Date) : TokenExpiration;
}
