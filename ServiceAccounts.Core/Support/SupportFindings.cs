using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Core.Support;

/// <summary>
/// What support's lookup found for one query. A query may be several things at once (a 20-character id is also
/// a valid handle), so every kind of finding has its own list. Nothing here holds a token's secret.
/// </summary>
/// <param name="Query">What was looked for, as it may be shown: a pasted token appears as its id only.</param>
/// <param name="ShareableQuery">
/// What may be put in an address or a link to repeat the lookup: the query itself, or for a pasted token its id;
/// null when even that would expose something secret-like (a pasted string that isn't a valid token).
/// </param>
/// <param name="MoreTokens">More tokens matched the last 4 characters than <see cref="SupportLookup.MaxTokenMatches"/>.</param>
public sealed record SupportFindings(
    string Query,
    string? ShareableQuery,
    IReadOnlyList<EntityFinding> Entities,
    IReadOnlyList<AccountFinding> Accounts,
    IReadOnlyList<TokenFinding> Tokens,
    bool MoreTokens)
{
    public bool IsEmpty => Entities.Count == 0 && Accounts.Count == 0 && Tokens.Count == 0;
}

/// <summary>
/// An org or tenant, with who is in it (<see cref="Owners"/>: the people who own it) and the authentication settings of
/// the tenant it is or sits in.
/// </summary>
public sealed record EntityFinding(
    EntityKind Kind,
    string Handle,
    string DisplayName,
    Plan Plan,
    bool IsBillingEntity,
    string TenantHandle,
    int Owners,
    int Members,
    int ServiceAccountMembers,
    int? MaxTokenExpirationDays,
    DateTime? AuthenticationResetAt)
{
    public EntityRef Ref => new(Kind, Handle);
}

/// <summary>A service account and the name of its billing entity (the view carries the entity's kind and handle).</summary>
public sealed record AccountFinding(ServiceAccountView Account, string BillingEntityName);

/// <summary>One reason a token would be refused, in words support can pass on.</summary>
public sealed record TokenProblem(TokenRefusal Refusal, string Explanation);

/// <summary>
/// A token and whether it would authenticate now. <see cref="Token"/> and <see cref="Account"/> are null when
/// a pasted string is not a token, or names a token that doesn't exist.
/// </summary>
/// <param name="SecretChecked">
/// A whole token was pasted, so its secret was compared with the stored digest. Otherwise (found by id or last 4)
/// only status, expiry and the tenant's reset are checked.
/// </param>
/// <param name="Problems">Every rule the token fails, in the order the API checks them; empty when it would authenticate.</param>
/// <param name="ClaimedTokenId">
/// For a malformed token whose id part is readable: the token it would name. Not looked up (the API wouldn't),
/// but support may look it up to see whose token was mistyped.
/// </param>
public sealed record TokenFinding(
    string? TokenId,
    TokenView? Token,
    AccountFinding? Account,
    bool SecretChecked,
    IReadOnlyList<TokenProblem> Problems,
    string? ClaimedTokenId = null)
{
    public bool WouldAuthenticate => Problems.Count == 0;

    /// <summary>What the API would answer with: the first failed rule.</summary>
    public TokenProblem? Refusal => Problems.Count > 0 ? Problems[0] : null;
}
