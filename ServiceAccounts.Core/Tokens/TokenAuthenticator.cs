using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;
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

public sealed record TokenAuthentication(Actor? Actor, TokenRefusal? Refusal)
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

public sealed class TokenAuthenticator(IDbContextFactory<AppDbContext> factory, TimeProvider clock)
{
    /// <summary><c>last_used_at</c> is written at most this often per token.</summary>
    public static readonly TimeSpan LastUsedInterval = TimeSpan.FromMinutes(5);

    public async Task<TokenAuthentication> AuthenticateAsync(string? presented, string? ip = null, string? userAgent = null, CancellationToken cancellationToken = default)
    {
        var tokenId = TokenFormat.TryParse(presented);
        if (tokenId is null)
        {
            return new TokenAuthentication(null, TokenRefusal.Malformed);
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var found = await (
                from t in db.ApiTokens
                where t.Id == tokenId
                join s in db.ServiceAccounts on t.ServiceAccountId equals s.Id
                join e in db.Entities on s.BillingEntityId equals e.Id
                let tenantId = e is Org ? ((Org)e).ParentTenantId : e.Id
                select new
                {
                    Token = t,
                    Account = new { s.Id, s.Handle, s.Title, s.BillingEntityId },
                    ResetAt = db.Tenants.Where(x => x.Id == tenantId).Select(x => x.AuthenticationResetAt).FirstOrDefault(),
                })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return new TokenAuthentication(null, TokenRefusal.Unknown);
        }
        var token = found.Token;
        var now = clock.GetUtcNow().UtcDateTime;
        TokenRefusal? refusal =
            !CryptographicOperations.FixedTimeEquals(token.SecretDigest, TokenFormat.Digest(presented!)) ? TokenRefusal.WrongSecret
            : token.Status != TokenStatus.Active ? TokenRefusal.Inactive
            : token.IsExpired(now) ? TokenRefusal.Expired
            : found.ResetAt is { } resetAt && token.CreatedAt <= resetAt ? TokenRefusal.Revoked
            : null;
        var account = found.Account;
        if (refusal is { } reason)
        {
            db.Add(account.BillingEntityId, AuditActions.TokenAuthFailed, Actor.System.From(ip, userAgent), now,
                new AuditSubject(account.Id, account.Handle, account.Id, account.Handle, token.Id),
                new { reason = ReasonName(reason) });
            await db.SaveChangesAsync(cancellationToken);
            return new TokenAuthentication(null, reason);
        }
        if (token.RecordUse(now, LastUsedInterval))
        {
            // Not a change anyone made: no version bump, no audit record; at most once per interval.
            await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAt, now), cancellationToken);
            await db.ServiceAccounts.Where(s => s.Id == account.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastActivityAt, now), cancellationToken);
        }
        var actor = Actor.ServiceAccount(account.Id, account.Handle, account.Title, token.Id).From(ip, userAgent);
        return new TokenAuthentication(actor, null);
    }

    private static string ReasonName(TokenRefusal reason) => reason switch
    {
        TokenRefusal.WrongSecret => "wrong_secret",
        TokenRefusal.Inactive => "inactive",
        TokenRefusal.Expired => "expired",
        TokenRefusal.Revoked => "issued_before_reset",
        _ => "unknown",
    };
}
