using System.Globalization;
using ServiceAccounts.Core.Audit;

namespace ServiceAccounts.Web.Components.Pages.ServiceAccountPages;

/// <summary>
/// The Audit Log tab's filters as they travel in the address (<c>?action=token.create&amp;actor=ada&amp;from=2026-11-01</c>),
/// so a filtered view can be shared and survives a reload. The tab and the export links read the same parameters.
/// </summary>
public sealed record AuditFilter(
    IReadOnlyList<string> Actions,
    string? Actor = null,
    DateOnly? From = null,
    DateOnly? To = null,
    string? Text = null,
    string? TokenId = null)
{
    public const string ActionParameter = "action";
    public const string ActorParameter = "actor";
    public const string FromParameter = "from";
    public const string ToParameter = "to";
    public const string TextParameter = "q";
    public const string TokenParameter = Layout.EntityRoute.TokenParameter;
    public const string CursorParameter = "cursor";

    /// <summary>Dates in the address are days, read in UTC like every time the console shows.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    public static readonly AuditFilter None = new([]);

    public bool IsEmpty => Actions.Count == 0 && Actor is null && From is null && To is null && Text is null && TokenId is null;

    /// <summary>
    /// Reads the filters from the address's parameters; what can't be read (an unknown action, a malformed date,
    /// From after To) is left out and described in <paramref name="problems"/>, so a mangled link still opens the log.
    /// </summary>
    public static AuditFilter Parse(Func<string, IReadOnlyList<string>> values, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        var actions = new List<string>();
        foreach (var action in values(ActionParameter).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!AuditActions.All.Contains(action))
            {
                found.Add($"'{action}' is not an audit action.");
            }
            else if (!actions.Contains(action))
            {
                actions.Add(action);
            }
        }
        var from = ParseDate(values(FromParameter), "From", found);
        var to = ParseDate(values(ToParameter), "To", found);
        if (from > to)
        {
            found.Add("From is after To.");
            (from, to) = (null, null);
        }
        problems = found;
        return new AuditFilter(actions, Clean(values(ActorParameter)), from, to, Clean(values(TextParameter)), Clean(values(TokenParameter)));
    }

    /// <summary>The Core query: From is the start of its day (UTC) and To includes its whole day.</summary>
    public AuditQuery ToQuery(int limit = 25, string? cursor = null) => new(
        Actions.Count == 0 ? null : Actions,
        Actor,
        From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        limit,
        cursor,
        Text,
        TokenId);

    /// <summary>The address parameters of this filter (nulls remove a parameter), for NavigationManager.GetUriWithQueryParameters.</summary>
    public IReadOnlyDictionary<string, object?> ToParameters() => new Dictionary<string, object?>
    {
        [ActionParameter] = Actions.Count == 0 ? null : Actions.ToArray(),
        [ActorParameter] = Actor,
        [FromParameter] = From?.ToString(DateFormat, CultureInfo.InvariantCulture),
        [ToParameter] = To?.ToString(DateFormat, CultureInfo.InvariantCulture),
        [TextParameter] = Text,
        [TokenParameter] = TokenId,
    };

    /// <summary>The filter as a query string ("?action=…&amp;from=…", or "" for no filter), for links such as the exports.</summary>
    public string ToQueryString()
    {
        var parts = new List<string>();
        foreach (var (name, value) in ToParameters())
        {
            switch (value)
            {
                case string[] many:
                    parts.AddRange(many.Select(v => $"{name}={Uri.EscapeDataString(v)}"));
                    break;
                case string one:
                    parts.Add($"{name}={Uri.EscapeDataString(one)}");
                    break;
            }
        }
        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    private static DateOnly? ParseDate(IReadOnlyList<string> values, string name, List<string> problems)
    {
        if (Clean(values) is not { } text)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        problems.Add($"{name} '{text}' is not a date (YYYY-MM-DD).");
        return null;
    }

    private static string? Clean(IReadOnlyList<string> values) =>
        values.Select(v => v.Trim()).FirstOrDefault(v => v.Length > 0);
}
