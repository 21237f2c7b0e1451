using System.Text;
using System.Text.RegularExpressions;

namespace ServiceAccounts.Core.Security;

/// <summary>Handles: the identifiers people see and type. Pattern ^[a-z0-9][a-z0-9-]{0,37}[a-z0-9]$.</summary>
public static partial class Handles
{
    public const int MaxLength = 39;
    public const int MinLength = 2;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,37}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? handle) => handle is not null && Pattern().IsMatch(handle);

    /// <summary>
    /// A handle derived from free text ("Deploy Bot #2" → "deploy-bot-2"); accents are dropped, anything
    /// else becomes a hyphen. Falls back to <paramref name="fallback"/> when nothing usable is left.
    /// </summary>
    public static string Derive(string text, string fallback)
    {
        var normalized = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            var lower = char.ToLowerInvariant(c);
            if (lower is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                builder.Append(lower);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }
        var handle = Fit(builder.ToString(), MaxLength);
        return IsValid(handle) ? handle : fallback;
    }

    /// <summary>The <paramref name="attempt"/>-th candidate: the base, then base-2, base-3, … always within the length limit.</summary>
    public static string Candidate(string baseHandle, int attempt)
    {
        if (attempt <= 1)
        {
            return baseHandle;
        }
        var suffix = "-" + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Fit(baseHandle, MaxLength - suffix.Length) + suffix;
    }

    private static string Fit(string value, int max) => (value.Length > max ? value[..max] : value).Trim('-');
}
