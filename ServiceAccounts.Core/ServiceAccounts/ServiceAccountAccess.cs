using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Core.ServiceAccounts;

/// <summary>What an actor wants to do with a service account; rules 1, 6 and 7 of DESIGN.md decide.</summary>
public enum AccountOperation
{
    Read,
    Create,
    Update,
    Delete,
    ChangeRole,
    ManageTokens,
}

/// <summary>A service account as loaded for one operation, with the caller's relation to its billing entity.</summary>
internal sealed record LoadedAccount(TenancyEntity Entity, Relation Relation, ServiceAccount Account, Membership Membership);

internal static class ServiceAccountAccess
{
    /// <summary>
    /// Loads the account named by <paramref name="key"/> (its id or handle) in the billing entity
    /// <paramref name="entityRef"/> and checks that the actor may do <paramref name="operation"/> with it.
    /// </summary>
    public static async Task<Result<LoadedAccount>> LoadAsync(AppDbContext db, Actor actor, EntityRef entityRef, string key, AccountOperation operation, CancellationToken cancellationToken)
    {
        var found = await Access.EntityForAsync(db, actor, entityRef, cancellationToken);
        if (!found.IsOk)
        {
            return found.AsFailure();
        }
        var (entity, relation) = found.Value;
        var account = await db.ServiceAccounts
            .Where(s => s.BillingEntityId == entity.Id && (s.Id == key || s.Handle == key))
            .FirstOrDefaultAsync(cancellationToken);
        var membership = account is null
            ? null
            : await db.Memberships.FirstOrDefaultAsync(m => m.EntityId == entity.Id && m.ServiceAccountId == account.Id, cancellationToken);
        if (account is null || membership is null)
        {
            return NotFound(entityRef, key);
        }
        var denied = Check(actor, relation, entity, operation, account, membership.Role);
        return denied is null ? Result.Ok(new LoadedAccount(entity, relation, account, membership)) : denied;
    }

    /// <summary>The rules, in one place: null when allowed, else the failure to return.</summary>
    public static Failure? Check(Actor actor, Relation relation, TenancyEntity entity, AccountOperation operation, ServiceAccount? target, Role? targetRole)
    {
        switch (relation)
        {
            case Relation.None:
                return Access.NotFound(entity.Ref);
            case Relation.System:
                return null;
            case Relation.Support:
                return operation == AccountOperation.Read ? null : Access.SupportIsReadOnly;
            case Relation.Member:
                return Result.Forbidden($"Only owners of {entity.Handle} can manage its service accounts.");
        }
        if (actor.Type != ActorType.ServiceAccount)
        {
            return null;
        }
        // Rule 6: what an owner-role service account may do through the API.
        var isSelf = target is not null && target.Id == actor.Id;
        return operation switch
        {
            AccountOperation.Read or AccountOperation.Create => null,
            AccountOperation.ChangeRole => Result.Forbidden("Service accounts cannot change roles; an owner must do it in the console."),
            AccountOperation.ManageTokens when isSelf => null,
            AccountOperation.Update or AccountOperation.Delete when isSelf =>
                Result.Forbidden("A service account cannot change or delete itself; an owner must do it in the console."),
            _ when targetRole == Role.Owner =>
                Result.Forbidden("Owner-role service accounts can only be managed by the owners of the entity."),
            _ => null,
        };
    }

    public static Failure NotFound(EntityRef entity, string key) =>
        Result.NotFound($"There is no service account '{key}' in {entity.Handle}.");
}
