using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Core.Tokens;

public sealed class TokenService(Db db, TimeProvider clock)
{
    private const string TokenLimitMessage = "A service account can have at most 2 tokens. Delete one to create another.";

    public Task<Result<IReadOnlyList<TokenView>>> ListAsync(Actor actor, EntityRef entityRef, string accountKey, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<TokenView>>(async context =>
        {
            var loaded = await ServiceAccountAccess.LoadAsync(context, actor, entityRef, accountKey, AccountOperation.Read, cancellationToken);
            if (!loaded.IsOk)
            {
                return loaded.AsFailure();
            }
            var tokens = await Views(context.ApiTokens.Where(t => t.ServiceAccountId == loaded.Value!.Account.Id).OrderBy(t => t.CreatedAt))
                .ToListAsync(cancellationToken);
            return Result.Ok<IReadOnlyList<TokenView>>(tokens);
        }, cancellationToken);

    public Task<Result<TokenView>> GetAsync(Actor actor, EntityRef entityRef, string accountKey, string tokenId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async context =>
        {
            var loaded = await ServiceAccountAccess.LoadAsync(context, actor, entityRef, accountKey, AccountOperation.Read, cancellationToken);
            if (!loaded.IsOk)
            {
                return loaded.AsFailure();
            }
            var token = await Views(context.ApiTokens.Where(t => t.ServiceAccountId == loaded.Value!.Account.Id && t.Id == tokenId))
                .FirstOrDefaultAsync(cancellationToken);
            return token is null ? TokenNotFound(tokenId) : Result.Ok(token);
        }, cancellationToken);

    /// <summary>The expirations allowed for this account's tokens, for the form that asks for one.</summary>
    public Task<Result<ExpirationPolicy>> GetExpirationPolicyAsync(Actor actor, EntityRef entityRef, string accountKey, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async context =>
        {
            var loaded = await ServiceAccountAccess.LoadAsync(context, actor, entityRef, accountKey, AccountOperation.Read, cancellationToken);
            return loaded.IsOk ? Result.Ok(await PolicyAsync(context, loaded.Value!.Entity, cancellationToken)) : loaded.AsFailure();
        }, cancellationToken);

    /// <summary>Creates a token; the returned secret is never stored and can't be shown again.</summary>
    public async Task<Result<CreatedToken>> CreateAsync(Actor actor, EntityRef entityRef, string accountKey, NewToken input, CancellationToken cancellationToken = default)
    {
        var result = await db.WriteAsync(async context =>
        {
            var loaded = await ServiceAccountAccess.LoadAsync(context, actor, entityRef, accountKey, AccountOperation.ManageTokens, cancellationToken);
            if (!loaded.IsOk)
            {
                return loaded.AsFailure();
            }
            var (entity, _, account, _) = loaded.Value!;
            if (TextInput.Check(input.Title, "Title", ApiToken.TitleMaxLength, required: false, multiline: false, out var title) is { } titleError)
            {
                return Result.Invalid("title", titleError);
            }
            var now = clock.GetUtcNow().UtcDateTime;
            var policy = await PolicyAsync(context, entity, cancellationToken);
            var expiresAt = ResolveExpiration(input.Expiration, now, policy);
            if (!expiresAt.IsOk)
            {
                return expiresAt.AsFailure();
            }
            var usedSlots = await context.ApiTokens.Where(t => t.ServiceAccountId == account.Id).Select(t => t.Slot).ToListAsync(cancellationToken);
            var slot = Enumerable.Range(0, ApiToken.MaxPerServiceAccount).Except(usedSlots).Cast<int?>().FirstOrDefault();
            if (slot is null)
            {
                return Result.Conflict(ConflictReason.TokenLimit, TokenLimitMessage);
            }
            var id = Ids.NewTokenId();
            var secret = TokenFormat.Generate(id);
            var token = ApiToken.Create(id, account.Id, slot.Value, title.Length == 0 ? null : title, TokenFormat.Last4(secret), TokenFormat.Digest(secret), expiresAt.Value, ServiceAccountService.Stamp(actor, now));
            context.ApiTokens.Add(token);
            context.Add(account.BillingEntityId, AuditActions.TokenCreate, actor, now, ServiceAccountService.Subject(account, id), new
            {
                title = new Change<string?>(null, token.Title),
                status = new Change<string?>(null, "active"),
                expires_at = new Change<DateTime?>(null, token.ExpiresAt),
                last4 = token.Last4,
            });
            return Result.Ok(new CreatedToken(View(token), secret));
        }, cancellationToken);
        // Where the database, not the count above, caught a concurrent create (no write lock), say why.
        return result is { Status: ResultStatus.Conflict, ConflictReason: ConflictReason.AlreadyExists }
            ? Result.Conflict(ConflictReason.TokenLimit, TokenLimitMessage)
            : result;
    }

    public Task<Result<TokenView>> DeactivateAsync(Actor actor, EntityRef entityRef, string accountKey, string tokenId, CancellationToken cancellationToken = default) =>
        UpdateAsync(actor, entityRef, accountKey, tokenId, new TokenChanges(Status: TokenStatus.Inactive), null, cancellationToken);

    public Task<Result<TokenView>> ActivateAsync(Actor actor, EntityRef entityRef, string accountKey, string tokenId, CancellationToken cancellationToken = default) =>
        UpdateAsync(actor, entityRef, accountKey, tokenId, new TokenChanges(Status: TokenStatus.Active), null, cancellationToken);

    public Task<Result<TokenView>> UpdateAsync(Actor actor, EntityRef entityRef, string accountKey, string tokenId, TokenChanges changes, long? expectedVersion, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async context =>
        {
            var loaded = await LoadTokenAsync(context, actor, entityRef, accountKey, tokenId, cancellationToken);
            if (!loaded.IsOk)
            {
                return loaded.AsFailure();
            }
            var (account, token) = loaded.Value;
            string? title = token.Title;
            if (changes.ClearTitle)
            {
                title = null;
            }
            else if (changes.Title is not null)
            {
                if (TextInput.Check(changes.Title, "Title", ApiToken.TitleMaxLength, required: false, multiline: false, out var checkedTitle) is { } titleError)
                {
                    return Result.Invalid("title", titleError);
                }
                title = checkedTitle.Length == 0 ? null : checkedTitle;
            }
            if (changes.Status is { } status && !Enum.IsDefined(status))
            {
                return Result.Invalid("status", "Status must be active or inactive.");
            }
            if (expectedVersion is { } version && version != token.Version)
            {
                return Result.Conflict(ConflictReason.StaleVersion, "This token was changed by someone else since you loaded it. Reload and try again.");
            }
            var now = clock.GetUtcNow().UtcDateTime;
            var stamp = ServiceAccountService.Stamp(actor, now);
            var subject = ServiceAccountService.Subject(account, token.Id);
            if (title != token.Title)
            {
                context.Add(account.BillingEntityId, AuditActions.TokenUpdate, actor, now, subject, new { title = new Change<string?>(token.Title, title) });
                token.Rename(title, stamp);
            }
            if (changes.Status is { } newStatus && newStatus != token.Status)
            {
                var action = newStatus == TokenStatus.Active ? AuditActions.TokenActivate : AuditActions.TokenDeactivate;
                context.Add(account.BillingEntityId, action, actor, now, subject, new { status = new Change<string>(StatusName(token.Status), StatusName(newStatus)) });
                token.SetStatus(newStatus, stamp);
            }
            return Result.Ok(View(token));
        }, cancellationToken);

    public Task<Result<Unit>> DeleteAsync(Actor actor, EntityRef entityRef, string accountKey, string tokenId, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async context =>
        {
            var loaded = await LoadTokenAsync(context, actor, entityRef, accountKey, tokenId, cancellationToken);
            if (!loaded.IsOk)
            {
                return loaded.AsFailure();
            }
            var (account, token) = loaded.Value;
            if (expectedVersion is { } version && version != token.Version)
            {
                return Result.Conflict(ConflictReason.StaleVersion, "This token was changed by someone else since you loaded it. Reload and try again.");
            }
            var now = clock.GetUtcNow().UtcDateTime;
            context.Add(account.BillingEntityId, AuditActions.TokenDelete, actor, now, ServiceAccountService.Subject(account, token.Id), new
            {
                title = new Change<string?>(token.Title, null),
                status = new Change<string?>(StatusName(token.Status), null),
                last4 = token.Last4,
            });
            context.ApiTokens.Remove(token);
            return Result.Ok(Unit.Value);
        }, cancellationToken);

    /// <summary>Rule 3: Never, a duration or a date, bounded by the tenant's Maximum Token Expiration.</summary>
    public static Result<DateTime?> ResolveExpiration(TokenExpiration? expiration, DateTime now, ExpirationPolicy policy)
    {
        const string field = "expiration";
        var limit = policy.MaxDays is { } max
            ? $"This tenant's Maximum Token Expiration is {max} days: choose an expiration within {max} days."
            : null;
        switch (expiration)
        {
            case null:
                return Result.Invalid(field, "Choose an expiration.");
            case TokenExpiration.NeverExpires:
                return policy.AllowsNever ? Result.Ok<DateTime?>(null) : Result.Invalid(field, "Never is not allowed. " + limit);
            case TokenExpiration.Duration { Length: var length }:
                if (length < TokenExpiration.MinimumDuration)
                {
                    return Result.Invalid(field, "The expiration must be at least one hour from now.");
                }
                if (policy.MaxDays is { } maxDays && length > TimeSpan.FromDays(maxDays))
                {
                    return Result.Invalid(field, limit!);
                }
                if (length > TimeSpan.FromDays(Tenant.MaxTokenExpirationMaxDays))
                {
                    return Result.Invalid(field, $"The expiration can be at most {Tenant.MaxTokenExpirationMaxDays} days; choose Never for a token that doesn't expire.");
                }
                return Result.Ok<DateTime?>(now + length);
            case TokenExpiration.OnDate { Date: var date }:
                var today = DateOnly.FromDateTime(now);
                if (date <= today)
                {
                    return Result.Invalid(field, "The expiration date must be after today.");
                }
                var days = date.DayNumber - today.DayNumber;
                if (!policy.Allows(days))
                {
                    return Result.Invalid(field, limit!);
                }
                if (days > Tenant.MaxTokenExpirationMaxDays)
                {
                    return Result.Invalid(field, $"The expiration date can be at most {Tenant.MaxTokenExpirationMaxDays} days away; choose Never for a token that doesn't expire.");
                }
                return Result.Ok<DateTime?>(date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
            default:
                return Result.Invalid(field, "Unknown expiration.");
        }
    }

    internal static async Task<ExpirationPolicy> PolicyAsync(AppDbContext context, TenancyEntity billingEntity, CancellationToken cancellationToken)
    {
        var maxDays = await context.Tenants.Where(t => t.Id == billingEntity.TenantId).Select(t => t.MaxTokenExpirationDays).FirstOrDefaultAsync(cancellationToken);
        return new ExpirationPolicy(maxDays);
    }

    internal static string StatusName(TokenStatus status) => status == TokenStatus.Active ? "active" : "inactive";

    private static async Task<Result<(ServiceAccount Account, ApiToken Token)>> LoadTokenAsync(AppDbContext context, Actor actor, EntityRef entityRef, string accountKey, string tokenId, CancellationToken cancellationToken)
    {
        var loaded = await ServiceAccountAccess.LoadAsync(context, actor, entityRef, accountKey, AccountOperation.ManageTokens, cancellationToken);
        if (!loaded.IsOk)
        {
            return loaded.AsFailure();
        }
        var account = loaded.Value!.Account;
        var token = await context.ApiTokens.FirstOrDefaultAsync(t => t.ServiceAccountId == account.Id && t.Id == tokenId, cancellationToken);
        return token is null ? TokenNotFound(tokenId) : Result.Ok((account, token));
    }

    private static Failure TokenNotFound(string tokenId) => Result.NotFound($"There is no token '{tokenId}' on this service account.");

    private static TokenView View(ApiToken t) =>
        new(t.Id, t.ServiceAccountId, t.Title, t.Status, t.Last4, t.ExpiresAt, t.CreatedAt, t.CreatedByHandle, t.UpdatedAt, t.UpdatedByHandle, t.LastUsedAt, t.Version);

    private static IQueryable<TokenView> Views(IQueryable<ApiToken> tokens) =>
        tokens.Select(t => new TokenView(t.Id, t.ServiceAccountId, t.Title, t.Status, t.Last4, t.ExpiresAt, t.CreatedAt, t.CreatedByHandle, t.UpdatedAt, t.UpdatedByHandle, t.LastUsedAt, t.Version));
}
