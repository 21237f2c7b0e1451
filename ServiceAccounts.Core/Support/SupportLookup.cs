using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Core.Support;

/// <summary>
/// Support staff's search (rule 7): an org or tenant by handle, a service account by handle or id, a token by its id,
/// its last 4 characters or the whole pasted token, and whether that token would authenticate now and if not why.
/// Reads only; the decision is <see cref="TokenVerdict"/>, the one the API's authentication makes.
/// </summary>
public sealed class SupportLookup(Db db, TimeProvider clock)
{
    /// <summary>Tokens shown for one last-4 search: enough to pick from, few enough to read.</summary>
    public const int MaxTokenMatches = 20;

    public const int QueryMaxLength = SupportQuery.MaxLength;

    public Task<Result<SupportFindings>> FindAsync(Actor actor, string? query, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async context =>
        {
            if (actor.Type != ActorType.Support)
            {
                return Result.Forbidden("Only support staff can look up organizations, service accounts and tokens.");
            }
            if (SupportQuery.TryRead(query, out var read) is { } error)
            {
                return Result.Invalid("query", error);
            }
            var now = clock.GetUtcNow().UtcDateTime;
            var entities = read.Handle is { } handle ? await EntitiesAsync(context, handle, cancellationToken) : [];
            var accounts = read.Handle is not null || read.AccountId is not null
                ? await AccountsAsync(context, context.ServiceAccounts.Where(s => s.Handle == read.Handle || s.Id == read.AccountId), cancellationToken)
                : [];
            var (tokens, more) = await TokensAsync(context, read, now, cancellationToken);
            return Result.Ok(new SupportFindings(read.Display, read.Shareable, entities, accounts, tokens, more));
        }, cancellationToken);

    private static async Task<IReadOnlyList<EntityFinding>> EntitiesAsync(AppDbContext context, string handle, CancellationToken cancellationToken)
    {
        var rows = await context.Entities
            .Where(e => e.Handle == handle)
            .Select(e => new
            {
                IsOrg = e is Org,
                e.Handle,
                e.DisplayName,
                e.Plan,
                IsDefaultTenant = e is Tenant && ((Tenant)e).IsDefault,
                TenantId = e is Org ? ((Org)e).ParentTenantId : e.Id,
                // People to turn to: owner-role service accounts are not counted.
                Owners = context.Memberships.Count(m => m.EntityId == e.Id && m.Role == Role.Owner && m.UserId != null),
                Members = context.Memberships.Count(m => m.EntityId == e.Id),
                Accounts = context.Memberships.Count(m => m.EntityId == e.Id && m.ServiceAccountId != null),
            })
            .ToListAsync(cancellationToken);
        var tenantIds = rows.Select(r => r.TenantId).Distinct().ToList();
        var tenants = await context.Tenants.Where(t => tenantIds.Contains(t.Id))
            .Select(t => new { t.Id, t.Handle, t.MaxTokenExpirationDays, t.AuthenticationResetAt })
            .ToDictionaryAsync(t => t.Id, cancellationToken);
        return rows
            .Select(r =>
            {
                var tenant = tenants[r.TenantId];
                var isBilling = r.IsOrg ? r.Plan == Plan.Team : !r.IsDefaultTenant;
                return new EntityFinding(r.IsOrg ? EntityKind.Org : EntityKind.Tenant, r.Handle, r.DisplayName, r.Plan, isBilling, tenant.Handle,
                    r.Owners, r.Members, r.Accounts, tenant.MaxTokenExpirationDays, tenant.AuthenticationResetAt);
            })
            .OrderBy(e => e.Kind == EntityKind.Org ? 0 : 1)
            .ToList();
    }

    private static async Task<IReadOnlyList<AccountFinding>> AccountsAsync(AppDbContext context, IQueryable<ServiceAccount> accounts, CancellationToken cancellationToken)
    {
        var views = await ServiceAccountService.Views(context, accounts).ToListAsync(cancellationToken);
        var names = await EntityNamesAsync(context, views.Select(v => v.BillingEntity).Distinct().ToList(), cancellationToken);
        return views
            .OrderBy(v => v.Handle, StringComparer.Ordinal)
            .Select(v => new AccountFinding(v, names.GetValueOrDefault(v.BillingEntity, v.BillingEntity.Handle)))
            .ToList();
    }

    private static async Task<Dictionary<EntityRef, string>> EntityNamesAsync(AppDbContext context, IReadOnlyList<EntityRef> refs, CancellationToken cancellationToken)
    {
        var handles = refs.Select(r => r.Handle).Distinct().ToList();
        var rows = await context.Entities.Where(e => handles.Contains(e.Handle))
            .Select(e => new { IsOrg = e is Org, e.Handle, e.DisplayName })
            .ToListAsync(cancellationToken);
        return rows
            .Select(r => (Ref: new EntityRef(r.IsOrg ? EntityKind.Org : EntityKind.Tenant, r.Handle), r.DisplayName))
            .Where(r => refs.Contains(r.Ref))
            .ToDictionary(r => r.Ref, r => r.DisplayName);
    }

    private static async Task<(IReadOnlyList<TokenFinding> Tokens, bool More)> TokensAsync(AppDbContext context, SupportQuery read, DateTime now, CancellationToken cancellationToken)
    {
        if (read.Secret is not null && read.SecretShape != TokenShape.Valid)
        {
            // Refused by the API before any lookup: so is it here.
            return ([new TokenFinding(null, null, null, SecretChecked: true, [Malformed(read)], read.ClaimedTokenId)], false);
        }
        IQueryable<ApiToken> matching;
        if (read.TokenId is { } tokenId)
        {
            matching = context.ApiTokens.Where(t => t.Id == tokenId);
        }
        else if (read.Last4 is { } last4)
        {
            matching = context.ApiTokens.Where(t => t.Last4 == last4);
        }
        else
        {
            return ([], false);
        }
        var stored = await TokenAuthenticator.Stored(context, matching.OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id))
            .Take(MaxTokenMatches + 1)
            .ToListAsync(cancellationToken);
        var more = stored.Count > MaxTokenMatches;
        stored = stored.Take(MaxTokenMatches).ToList();
        if (stored.Count == 0)
        {
            // A whole token that names no token is an answer (it would be refused); an id or last 4 that matches nothing is not.
            return read.Secret is not null
                ? ([new TokenFinding(read.TokenId, null, null, SecretChecked: true, [Unknown(read.TokenId!)])], false)
                : ([], false);
        }

        var ids = stored.Select(s => s.Id).ToList();
        var views = await context.ApiTokens.Where(t => ids.Contains(t.Id))
            .Select(t => new TokenView(t.Id, t.ServiceAccountId, t.Title, t.Status, t.Last4, t.ExpiresAt, t.CreatedAt, t.CreatedByHandle, t.UpdatedAt, t.UpdatedByHandle, t.LastUsedAt, t.Version))
            .ToDictionaryAsync(t => t.Id, cancellationToken);
        var accountIds = stored.Select(s => s.ServiceAccountId).Distinct().ToList();
        var accounts = (await AccountsAsync(context, context.ServiceAccounts.Where(s => accountIds.Contains(s.Id)), cancellationToken))
            .ToDictionary(a => a.Account.Id);
        var tenants = await TenantHandlesAsync(context, stored.Select(s => s.BillingEntityId).Distinct().ToList(), cancellationToken);

        var findings = new List<TokenFinding>(stored.Count);
        foreach (var token in stored)
        {
            if (!views.TryGetValue(token.Id, out var view) || !accounts.TryGetValue(token.ServiceAccountId, out var account))
            {
                // Deleted between the two reads: as good as never found.
                continue;
            }
            var problems = TokenVerdict.All(token.Facts, read.Secret, now)
                .Select(refusal => new TokenProblem(refusal, Explain(refusal, view, token.Facts, tenants.GetValueOrDefault(token.BillingEntityId, "its tenant"))))
                .ToList();
            findings.Add(new TokenFinding(token.Id, view, account, read.Secret is not null, problems));
        }
        return (findings, more);
    }

    /// <summary>Billing entity id → the handle of the tenant it is or sits in (whose reset applies).</summary>
    private static async Task<Dictionary<string, string>> TenantHandlesAsync(AppDbContext context, IReadOnlyList<string> billingEntityIds, CancellationToken cancellationToken) =>
        await (
                from e in context.Entities
                where billingEntityIds.Contains(e.Id)
                let tenantId = e is Org ? ((Org)e).ParentTenantId : e.Id
                join t in context.Tenants on tenantId equals t.Id
                select new { e.Id, t.Handle })
            .ToDictionaryAsync(r => r.Id, r => r.Handle, cancellationToken);

    private static TokenProblem Malformed(SupportQuery read)
    {
        var claimed = read.ClaimedTokenId is { } id ? $" It would name token {id}: look that id up to see whose token it is." : string.Empty;
        var why = read.SecretShape switch
        {
            TokenShape.WrongLength =>
                $"Not a valid token: a token has {TokenFormat.Length} characters (sat_, a 20-character id, _ and {TokenFormat.SecretLength + TokenFormat.ChecksumLength} more); this has {read.Secret!.Length}.",
            TokenShape.WrongChecksum =>
                "Not a valid token: its checksum does not hold, so a character was mistyped, lost or changed.",
            _ => "Not a valid token: it has characters a token never has (the id is 0-9 and a-v, the rest letters and digits).",
        };
        return new TokenProblem(TokenRefusal.Malformed, $"{why} The API refuses it without looking anything up.{claimed}");
    }

    private static TokenProblem Unknown(string tokenId) =>
        new(TokenRefusal.Unknown, $"No token has the id {tokenId}: it was never issued, or it or its service account was deleted.");

    private static string Explain(TokenRefusal refusal, TokenView token, TokenFacts facts, string tenantHandle) => refusal switch
    {
        TokenRefusal.WrongSecret => "The secret does not match the stored digest: this is not the token that was issued with this id.",
        TokenRefusal.Inactive => $"The token is inactive (last changed by {token.UpdatedByHandle} on {Format(token.UpdatedAt)}). An owner can activate it again.",
        TokenRefusal.Expired => $"The token expired on {Format(facts.ExpiresAt!.Value)}.",
        TokenRefusal.Revoked => $"The token was issued on {Format(facts.CreatedAt)}, before tenant {tenantHandle}'s last authentication reset on {Format(facts.ResetAt!.Value)}.",
        _ => refusal.ToString(),
    };

    internal static string Format(DateTime at) => at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
