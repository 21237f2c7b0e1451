namespace ServiceAccounts.Core.Common;

/// <summary>Checks free text from people and programs: trims it, and refuses control characters and overlong values.</summary>
public static class TextInput
{
    /// <summary>An error message for <paramref name="label"/>, or null when <paramref name="value"/> is acceptable.</summary>
    public static string? Check(string? value, string label, int maxLength, bool required, bool multiline, out string normalized)
    {
        normalized = (value ?? string.Empty).Trim();
        if (normalized.Length == 0)
        {
            return required ? $"{label} is required." : null;
        }
        if (normalized.Length > maxLength)
        {
            return $"{label} must be at most {maxLength} characters (it has {normalized.Length}).";
        }
        foreach (var c in normalized)
        {
            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
            {
                return $"{label} cannot contain control characters{(multiline ? "" : " or line breaks")}.";
            }
        }
        return null;
    }
}
