using System.Text.RegularExpressions;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Core.Support;

/// <summary>How a pasted string that starts like a token fails to be one (decided without the database).</summary>
internal enum TokenShape
{
    Valid,
    WrongLength,
    WrongCharacters,
    WrongChecksum,
}

/// <summary>
/// What support typed, read every way it can be read: a handle (entity or service account), a service account id,
/// a token id, the last 4 characters of a token, or a whole token. Holds the pasted secret, so it never leaves Core
/// and its <see cref="ToString"/> leaves the secret out.
/// </summary>
internal sealed partial record SupportQuery
{
    public const int MaxLength = 200;

    private SupportQuery()
    {
    }

    /// <summary>The query as it may be shown: a pasted token as its id only.</summary>
    public string Display { get; private init; } = string.Empty;

    /// <summary>What may go into an address; null when the query is secret-like (see <see cref="SupportFindings.ShareableQuery"/>).</summary>
    public string? Shareable { get; private init; }

    public string? Handle { get; private init; }
    public string? AccountId { get; private init; }
    public string? TokenId { get; private init; }
    public string? Last4 { get; private init; }

    /// <summary>A whole token was pasted (whatever its shape); its secret, for the digest comparison.</summary>
    public string? Secret { get; private init; }

    public TokenShape SecretShape { get; private init; }

    /// <summary>The token id a pasted string would name if its checksum held; only for telling support what was mistyped.</summary>
    public string? ClaimedTokenId { get; private init; }

    /// <summary>An error message for the query field, or null and the query read every way it can be.</summary>
    public static string? TryRead(string? text, out SupportQuery query)
    {
        query = new SupportQuery();
        var trimmed = (text ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            return "Enter a handle, a service account or token id, a token, or sat_… and its last 4 characters.";
        }
        if (trimmed.Length > MaxLength)
        {
            return $"That is too long to be a handle, an id or a token (at most {MaxLength} characters; it has {trimmed.Length}).";
        }
        if (trimmed.Any(char.IsControl))
        {
            return "The query cannot contain line breaks or other control characters.";
        }
        // Copied from a request or a config file: the scheme is not part of the token.
        if (trimmed.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed["Bearer ".Length..].Trim();
        }

        if (Last4Pattern().Match(trimmed) is { Success: true } last4)
        {
            query = new SupportQuery { Display = TokenFormat.Masked(last4.Groups[1].Value), Shareable = TokenFormat.Masked(last4.Groups[1].Value), Last4 = last4.Groups[1].Value };
            return null;
        }
        if (TokenIdPattern().Match(trimmed) is { Success: true } tokenId)
        {
            var id = Ids.TokenPrefix + tokenId.Groups[1].Value;
            // A bare 20-character id is also a valid handle: look for both.
            var handle = trimmed.Length == Ids.RandomLength ? trimmed : null;
            query = new SupportQuery { Display = trimmed, Shareable = trimmed, TokenId = id, Handle = handle };
            return null;
        }
        if (trimmed.StartsWith(TokenFormat.Prefix, StringComparison.Ordinal))
        {
            query = Pasted(trimmed);
            return null;
        }
        if (AccountIdPattern().IsMatch(trimmed))
        {
            query = new SupportQuery { Display = trimmed, Shareable = trimmed, AccountId = trimmed };
            return null;
        }
        var lower = trimmed.TrimStart('@').ToLowerInvariant();
        query = new SupportQuery { Display = trimmed, Shareable = trimmed, Handle = Handles.IsValid(lower) ? lower : null };
        return null;
    }

    private static SupportQuery Pasted(string token)
    {
        var id = TokenFormat.TryParse(token);
        if (id is not null)
        {
            var masked = $"{TokenFormat.Prefix}{id[Ids.TokenPrefix.Length..]}_…";
            return new SupportQuery { Display = masked, Shareable = id, TokenId = id, Secret = token, SecretShape = TokenShape.Valid };
        }
        var claimed = token.Length > TokenFormat.Prefix.Length + Ids.RandomLength && token[TokenFormat.Prefix.Length + Ids.RandomLength] == '_'
            && Ids.IsRandomPart(token.AsSpan(TokenFormat.Prefix.Length, Ids.RandomLength))
            ? Ids.TokenPrefix + token.Substring(TokenFormat.Prefix.Length, Ids.RandomLength)
            : null;
        var shape = token.Length != TokenFormat.Length ? TokenShape.WrongLength
            : claimed is null || token.AsSpan(TokenFormat.Prefix.Length + Ids.RandomLength + 1).ContainsAnyExcept(Base62) ? TokenShape.WrongCharacters
            : TokenShape.WrongChecksum;
        // Nothing of a string that may be a real secret with a typo is shown or shared.
        return new SupportQuery { Display = "the pasted token", Shareable = null, Secret = token, SecretShape = shape, ClaimedTokenId = claimed };
    }

    private static readonly System.Buffers.SearchValues<char> Base62 = System.Buffers.SearchValues.Create(TokenFormat.Base62);

    public override string ToString() => $"SupportQuery {{ {Display} }}";

    /// <summary>sat_…abcd (as the console shows a token), sat_...abcd (as people type it), or …abcd.</summary>
    [GeneratedRegex(@"^(?:sat_)?(?:…|\.{2,3})([A-Za-z0-9]{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex Last4Pattern();

    /// <summary>A token id: t_ and 20 characters (as audit records show it), the 20 characters alone, or a token cut after its id.</summary>
    [GeneratedRegex(@"^(?:t_|sat_)?([0-9a-v]{20})_?$", RegexOptions.CultureInvariant)]
    private static partial Regex TokenIdPattern();

    [GeneratedRegex(@"^u_[0-9a-v]{20}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountIdPattern();
}
