using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Core.Tokens;

/// <summary>Why a presented token was refused (rule 5). Callers tell the client only the general kind.</summary>
public enum TokenRefusal
{
    /// <summary>Not a token: wrong shape or checksum. Decided without the database.</summary>
    Malformed,

    /// <summary>No such token: never issued, deleted, or its service account was deleted.</summary>
    Unknown,

    WrongSecret,
    Inactive,
    Expired,

    /// <summary>Issued before the tenant's last authentication reset.</summary>
    Revoked,
}

/// <summary>The outcome of presenting a token: the service account (as an actor and as a view) or why it was refused.</summary>
public sealed record TokenAuthentication(Actor? Actor, TokenRefusal? Refusal, ServiceAccountView? Account = null)
{
    public bool Succeeded => Actor is not null;

    /// <summary>What a client may be told: the kind of problem, never which part of a secret was wrong.</summary>
    public string Describe() => Refusal switch
    {
        null => "Authenticated.",
        TokenRefusal.Malformed => "The token is malformed.",
        TokenRefusal.Expired => "The token has expired.",
        TokenRefusal.Inactive => "The token is inactive.",
        _ => "The token is revoked or unknown.",
    };
}

/// <summary>
/// Rule 5 for a presented token. What the decision needs (digest, status, expiry, last reset, the account)
/// is kept in memory per token id and thrown away whenever anything is written through <see cref="Db"/>
/// (see <see cref="AuthenticationState"/>), so a deactivated, deleted or reset token is refused by the
/// next request while an unchanged one costs no query.
/// </summary>
public sealed class TokenAuthenticator(IDbContextFactory<AppDbContext> factory, TimeProvider clock)
{
    /// <summary><c>last_used_at</c> is written at most this often per token.</summary>
    public static readonly TimeSpan LastUsedInterval = TimeSpan.FromMinutes(5);

    private const int MaxCachedTokens = 10_000;
    private readonly ConcurrentDictionary<string, Entry> cache = new(StringComparer.Ordinal);

    public async Task<TokenAuthentication> AuthenticateAsync(string? presented, string? ip = null, string? userAgent = null, CancellationToken cancellationToken = default)
    {
        var tokenId = TokenFormat.TryParse(presented);
        if (tokenId is null)
        {
            return new TokenAuthentication(null, TokenRefusal.Malformed);
        }
        var version = AuthenticationState.Version;
        if (!cache.TryGetValue(tokenId, out var entry) || entry.Version != version)
        {
            entry = await LoadAsync(tokenId, version, cancellationToken);
            if (entry is null)
            {
                cache.TryRemove(tokenId, out _);
                return new TokenAuthentication(null, TokenRefusal.Unknown);
            }
            if (cache.Count >= MaxCachedTokens)
            {
                cache.Clear();
            }
            cache[tokenId] = entry;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var refusal = TokenVerdict.Decide(entry.Facts, presented!, now);
        var account = entry.Account;
        if (refusal is { } reason)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            db.Add(entry.BillingEntityId, AuditActions.TokenAuthFailed, Actor.System.From(ip, userAgent), now,
                new AuditSubject(account.Id, account.Handle, account.Id, account.Handle, tokenId),
                new { reason = ReasonName(reason) });
            await db.SaveChangesAsync(cancellationToken);
            return new TokenAuthentication(null, reason);
        }
        if (entry.ClaimUse(now, LastUsedInterval))
        {
            // Not a change anyone made: no version bump, no audit record; at most once per interval and token.
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            await db.ApiTokens.Where(t => t.Id == tokenId).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAt, now), cancellationToken);
            await db.ServiceAccounts.Where(s => s.Id == account.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastActivityAt, now), cancellationToken);
        }
        var actor = Actor.ServiceAccount(account.Id, account.Handle, account.Title, tokenId).From(ip, userAgent) with { BillingEntityId = entry.BillingEntityId };
        return new TokenAuthentication(actor, null, account);
    }

    private async Task<Entry?> LoadAsync(string tokenId, long version, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var token = await Stored(db, db.ApiTokens.AsNoTracking().Where(t => t.Id == tokenId)).FirstOrDefaultAsync(cancellationToken);
        if (token is null)
        {
            return null;
        }
        var account = await ServiceAccountService.Views(db, db.ServiceAccounts.AsNoTracking().Where(s => s.Id == token.ServiceAccountId)).FirstOrDefaultAsync(cancellationToken);
        return account is null
            ? null
            : new Entry(version, token.Facts, token.BillingEntityId, account, token.LastUsedAt);
    }

    /// <summary>
    /// What rule 5 reads about stored tokens, with the billing entity and its tenant's last reset. The one query
    /// behind both authentication and support's lookup, so the two can't read a token differently.
    /// </summary>
    internal static IQueryable<StoredToken> Stored(AppDbContext db, IQueryable<ApiToken> tokens) =>
        from t in tokens
        join s in db.ServiceAccounts on t.ServiceAccountId equals s.Id
        join e in db.Entities on s.BillingEntityId equals e.Id
        let tenantId = e is Org ? ((Org)e).ParentTenantId : e.Id
        select new StoredToken(
            t.Id,
            t.ServiceAccountId,
            s.BillingEntityId,
            new TokenFacts(t.SecretDigest, t.Status, t.ExpiresAt, t.CreatedAt, db.Tenants.Where(x => x.Id == tenantId).Select(x => x.AuthenticationResetAt).FirstOrDefault()),
            t.LastUsedAt);

    private static string ReasonName(TokenRefusal reason) => reason switch
    {
        TokenRefusal.WrongSecret => "wrong_secret",
        TokenRefusal.Inactive => "inactive",
        TokenRefusal.Expired => "expired",
        TokenRefusal.Revoked => "issued_before_reset",
        _ => "unknown",
    };

    private sealed class Entry(long version, TokenFacts facts, string billingEntityId, ServiceAccountView account, DateTime? lastUsedAt)
    {
        private long lastUsedTicks = lastUsedAt?.Ticks ?? 0;

        public long Version { get; } = version;
        public TokenFacts Facts { get; } = facts;
        public string BillingEntityId { get; } = billingEntityId;
        public ServiceAccountView Account { get; } = account;

        /// <summary>True for the one caller that should write last_used_at now (at most once per interval).</summary>
        public bool ClaimUse(DateTime now, TimeSpan interval)
        {
            var last = Interlocked.Read(ref lastUsedTicks);
            return now.Ticks - last >= interval.Ticks && Interlocked.CompareExchange(ref lastUsedTicks, now.Ticks, last) == last;
        }
    }
}

/// <summary>What rule 5 needs to know about a stored token, besides its id.</summary>
public sealed record TokenFacts(byte[] Digest, TokenStatus Status, DateTime? ExpiresAt, DateTime CreatedAt, DateTime? ResetAt);

/// <summary>A stored token as <see cref="TokenAuthenticator.Stored"/> reads it.</summary>
internal sealed record StoredToken(string Id, string ServiceAccountId, string BillingEntityId, TokenFacts Facts, DateTime? LastUsedAt);

/// <summary>
/// Rule 5 once the token has parsed and its id was found: the checks, and their order, in one place. The
/// authenticator asks for the first refusal; support's lookup asks for all of them, and may not have the secret.
/// </summary>
public static class TokenVerdict
{
    /// <summary>The order the API checks in, and so the refusal it answers with.</summary>
    private static readonly TokenRefusal[] Order = [TokenRefusal.WrongSecret, TokenRefusal.Inactive, TokenRefusal.Expired, TokenRefusal.Revoked];

    /// <summary>Why <paramref name="presented"/> would be refused now, or null when it authenticates.</summary>
    public static TokenRefusal? Decide(TokenFacts facts, string presented, DateTime now)
    {
        foreach (var rule in Order)
        {
            if (Fails(rule, facts, presented, now))
            {
                return rule;
            }
        }
        return null;
    }

    /// <summary>
    /// Every rule the token fails, in the order of <see cref="Decide"/>: fixing the first may not be enough.
    /// Without <paramref name="presented"/> (support knows only the id) the secret is not checked; the secret
    /// can't be skipped by <see cref="Decide"/>, which authentication uses.
    /// </summary>
    public static IReadOnlyList<TokenRefusal> All(TokenFacts facts, string? presented, DateTime now) =>
        Order.Where(rule => Fails(rule, facts, presented, now)).ToList();

    private static bool Fails(TokenRefusal rule, TokenFacts facts, string? presented, DateTime now) => rule switch
    {
        TokenRefusal.WrongSecret => presented is not null && !CryptographicOperations.FixedTimeEquals(facts.Digest, TokenFormat.Digest(presented)),
        TokenRefusal.Inactive => facts.Status != TokenStatus.Active,
        TokenRefusal.Expired => facts.ExpiresAt is { } expiresAt && expiresAt <= now,
        TokenRefusal.Revoked => facts.ResetAt is { } resetAt && facts.CreatedAt <= resetAt,
        _ => false,
    };
}

/// <summary>
/// A process-wide counter bumped by every committed write through <see cref="Db"/>: what was read for
/// authentication before it may be stale, so it is read again. Code that changes tokens, accounts or tenants
/// some other way (a test editing rows directly) calls <see cref="Changed"/>.
/// </summary>
public static class AuthenticationState
{
    private static long version;

    public static long Version => Interlocked.Read(ref version);

    public static void Changed() => Interlocked.Increment(ref version);
}
