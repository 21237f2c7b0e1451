namespace ServiceAccounts.Core.Tokens;

/// <summary>A token's metadata. There is no way back to its secret.</summary>
public sealed record TokenView(
    string Id,
    string ServiceAccountId,
    string? Title,
    TokenStatus Status,
    string Last4,
    DateTime? ExpiresAt,
    DateTime CreatedAt,
    string CreatedByHandle,
    DateTime UpdatedAt,
    string UpdatedByHandle,
    DateTime? LastUsedAt,
    long Version)
{
    public string Masked => TokenFormat.Masked(Last4);

    public bool IsExpired(DateTime now) => ExpiresAt is { } at && at <= now;
}

/// <summary>A token just created: the only moment its secret exists outside the caller's hands.</summary>
public sealed record CreatedToken(TokenView Token, string Secret)
{
    public override string ToString() => $"CreatedToken {{ Token = {Token}, Secret = *** }}";
}

public sealed record NewToken(string? Title, TokenExpiration Expiration);

public sealed record TokenChanges(string? Title = null, TokenStatus? Status = null, bool ClearTitle = false);

/// <summary>The expirations a service account's tokens may have: the tenant's Maximum Token Expiration, if set.</summary>
public sealed record ExpirationPolicy(int? MaxDays)
{
    public bool AllowsNever => MaxDays is null;

    public bool Allows(int days) => MaxDays is not { } max || days <= max;
}
