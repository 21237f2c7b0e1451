using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Core.ServiceAccounts;

public sealed class ServiceAccountService(Db db, TimeProvider clock)
{
    private const int MaxHandleAttempts = 100;

    public Task<Result<IReadOnlyList<ServiceAccountView>>> ListAsync(Actor actor, EntityRef entityRef, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<ServiceAccountView>>(async context =>
        {
            var found = await Access.EntityForAsync(context, actor, entityRef, cancellationToken);
            if (!found.IsOk)
            {
                return found.AsFailure();
            }
            var (entity, relation) = found.Value;
            var denied = ServiceAccountAccess.Check(actor, relation, entity, AccountOperation.Read, null, null);
            if (denied is not null)
            {
                return denied;
            }
            var views = await Views(context, context.ServiceAccounts.Where(s => s.BillingEntityId == entity.Id).OrderBy(s => s.Handle))
                .ToListAsync(cancellationToken);
            return Result.Ok<IReadOnlyList<ServiceAccountView>>(views);
        }, cancellationToken);

    public Task<Result<ServiceAccountView>> GetAsync(Actor actor, EntityRef entityRef, string key, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async context =>
        {
            var loaded = await ServiceAccountAccess.LoadAsync(context, actor, entityRef, key, AccountOperation.Read, cancellationToken);
            return loaded.IsOk ? Result.Ok(await ViewAsync(context, loaded.Value!.Account.Id, cancellationToken)) : loaded.AsFailure();
        }, cancellationToken);

    /// <summary>The calling service account itself (the API's <c>GET /actor</c>): any role may read it.</summary>
    public Task<Result<ServiceAccountView>> GetSelfAsync(Actor actor, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async context =>
        {
            if (actor.Type != ActorType.ServiceAccount || actor.Id is null)
            {
                return Result.NotFound("Only a service account, calling with its token, has itself to show.");
            }
            var view = await Views(context, context.ServiceAccounts.Where(s => s.Id == actor.Id)).FirstOrDefaultAsync(cancellationToken);
            return view is null ? Result.NotFound("The service account no longer exists.") : Result.Ok(view);
        }, cancellationToken);

    public Task<Result<ServiceAccountView>> CreateAsync(Actor actor, EntityRef entityRef, NewServiceAccount input, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async context =>
        {
            var found = await Access.EntityForAsync(context, actor, entityRef, cancellationToken);
            if (!found.IsOk)
            {
                return found.AsFailure();
            }
            var (entity, relation) = found.Value;
            var denied = ServiceAccountAccess.Check(actor, relation, entity, AccountOperation.Create, null, null);
            if (denied is not null)
            {
                return denied;
            }
            if (!entity.IsBillingEntity)
            {
                var tenant = await context.Tenants.Where(t => t.Id == entity.TenantId).Select(t => t.Handle).FirstAsync(cancellationToken);
                return Result.Invalid("entity", $"Service accounts of {entity.Handle} are created in its tenant '{tenant}', then added to the organization.");
            }
            var errors = Validate(input.Title, input.Description, out var title, out var description);
            if (errors.Count > 0)
            {
                return Result.Invalid(errors);
            }
            var handle = await FreeHandleAsync(context, Handles.Derive(title, "service-account"), cancellationToken);
            if (handle is null)
            {
                return Result.Invalid("title", "Too many service accounts already have a handle made from this title. Choose another title.");
            }
            var now = clock.GetUtcNow().UtcDateTime;
            var account = ServiceAccount.Create(Ids.NewUserId(), handle, title, description, entity.Id, Stamp(actor, now));
            context.ServiceAccounts.Add(account);
            context.HandleClaims.Add(new HandleClaim(handle, account.Id));
            // Rule 6: whoever creates it, a new account starts as a member.
            context.Memberships.Add(Membership.ForServiceAccount(entity.Id, account.Id, Role.Member, now));
            context.Add(entity.Id, AuditActions.ServiceAccountCreate, actor, now, Subject(account), new
            {
                handle,
                title = new Change<string?>(null, title),
                description = new Change<string?>(null, description),
                role = new Change<string?>(null, "member"),
            });
            await context.SaveChangesAsync(cancellationToken);
            return Result.Ok(await ViewAsync(context, account.Id, cancellationToken));
        }, cancellationToken);

    public Task<Result<ServiceAccountView>> UpdateAsync(Actor actor, EntityRef entityRef, string key, ServiceAccountChanges changes, long expectedVersion, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async context =>
        {
            var loaded = await ServiceAccountAccess.LoadAsync(context, actor, entityRef, key, AccountOperation.Update, cancellationToken);
            if (!loaded.IsOk)
            {
                return loaded.AsFailure();
            }
            var account = loaded.Value!.Account;
            var errors = Validate(changes.Title ?? account.Title, changes.Description ?? account.Description, out var title, out var description);
            if (errors.Count > 0)
            {
                return Result.Invalid(errors);
            }
            if (account.Version != expectedVersion)
            {
                return StaleVersion();
            }
            var data = new Dictionary<string, object>();
            if (title != account.Title)
            {
                data["title"] = new Change<string>(account.Title, title);
            }
            if (description != account.Description)
            {
                data["description"] = new Change<string>(account.Description, description);
            }
            if (data.Count > 0)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                account.Update(title, description, Stamp(actor, now));
                context.Add(account.BillingEntityId, AuditActions.ServiceAccountUpdate, actor, now, Subject(account), data);
                await context.SaveChangesAsync(cancellationToken);
            }
            return Result.Ok(await ViewAsync(context, account.Id, cancellationToken));
        }, cancellationToken);

    public Task<Result<ServiceAccountView>> ChangeRoleAsync(Actor actor, EntityRef entityRef, string key, Role role, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async context =>
        {
            var loaded = await ServiceAccountAccess.LoadAsync(context, actor, entityRef, key, AccountOperation.ChangeRole, cancellationToken);
            if (!loaded.IsOk)
            {
                return loaded.AsFailure();
            }
            var (_, _, account, membership) = loaded.Value!;
            if (!Enum.IsDefined(role))
            {
                return Result.Invalid("role", "Role must be owner or member.");
            }
            if (membership.Role != role)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                context.Add(account.BillingEntityId, AuditActions.ServiceAccountRoleUpdate, actor, now, Subject(account),
                    new { role = new Change<string>(RoleName(membership.Role), RoleName(role)) });
                membership.ChangeRole(role);
                account.Touch(Stamp(actor, now));
                await context.SaveChangesAsync(cancellationToken);
            }
            return Result.Ok(await ViewAsync(context, account.Id, cancellationToken));
        }, cancellationToken);

    /// <summary>Deletes the account with its tokens and memberships; its audit history stays.</summary>
    public Task<Result<Unit>> DeleteAsync(Actor actor, EntityRef entityRef, string key, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async context =>
        {
            var loaded = await ServiceAccountAccess.LoadAsync(context, actor, entityRef, key, AccountOperation.Delete, cancellationToken);
            if (!loaded.IsOk)
            {
                return loaded.AsFailure();
            }
            var account = loaded.Value!.Account;
            if (expectedVersion is { } version && version != account.Version)
            {
                return StaleVersion();
            }
            var tokenIds = await context.ApiTokens.Where(t => t.ServiceAccountId == account.Id).Select(t => t.Id).ToListAsync(cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            context.Add(account.BillingEntityId, AuditActions.ServiceAccountDelete, actor, now, Subject(account), new
            {
                handle = account.Handle,
                title = new Change<string?>(account.Title, null),
                deleted_token_ids = tokenIds,
            });
            context.ServiceAccounts.Remove(account);
            await context.HandleClaims.Where(c => c.OwnerId == account.Id).ExecuteDeleteAsync(cancellationToken);
            return Result.Ok(Unit.Value);
        }, cancellationToken);

    internal static Dictionary<string, string> Validate(string? rawTitle, string? rawDescription, out string title, out string description)
    {
        var errors = new Dictionary<string, string>();
        if (TextInput.Check(rawTitle, "Title", ServiceAccount.TitleMaxLength, required: true, multiline: false, out title) is { } titleError)
        {
            errors["title"] = titleError;
        }
        if (TextInput.Check(rawDescription, "Description", ServiceAccount.DescriptionMaxLength, required: false, multiline: true, out description) is { } descriptionError)
        {
            errors["description"] = descriptionError;
        }
        return errors;
    }

    internal static Stamp Stamp(Actor actor, DateTime at) => new(actor.Id ?? "system", actor.Handle ?? "system", at);

    internal static AuditSubject Subject(ServiceAccount account, string? tokenId = null) =>
        new(account.Id, account.Handle, account.Id, account.Handle, tokenId);

    internal static string RoleName(Role role) => role == Role.Owner ? "owner" : "member";

    private static Failure StaleVersion() =>
        Result.Conflict(ConflictReason.StaleVersion, "This service account was changed by someone else since you loaded it. Reload to see the changes, then try again.");

    private static async Task<string?> FreeHandleAsync(AppDbContext context, string baseHandle, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxHandleAttempts; attempt++)
        {
            var candidate = Handles.Candidate(baseHandle, attempt);
            if (!await context.HandleClaims.AnyAsync(c => c.Handle == candidate, cancellationToken))
            {
                return candidate;
            }
        }
        return null;
    }

    private static async Task<ServiceAccountView> ViewAsync(AppDbContext context, string id, CancellationToken cancellationToken) =>
        await Views(context, context.ServiceAccounts.Where(s => s.Id == id)).FirstAsync(cancellationToken);

    internal static IQueryable<ServiceAccountView> Views(AppDbContext context, IQueryable<ServiceAccount> accounts) =>
        from s in accounts
        join m in context.Memberships on new { EntityId = s.BillingEntityId, Id = (string?)s.Id } equals new { m.EntityId, Id = m.ServiceAccountId }
        select new ServiceAccountView(
            s.Id,
            s.Handle,
            s.Title,
            s.Description,
            m.Role,
            new EntityRef(s.BillingEntity is Org ? EntityKind.Org : EntityKind.Tenant, s.BillingEntity.Handle),
            s.CreatedAt,
            s.CreatedByHandle,
            s.UpdatedAt,
            s.UpdatedByHandle,
            s.LastActivityAt,
            s.Version,
            context.ApiTokens.Count(t => t.ServiceAccountId == s.Id));
}
