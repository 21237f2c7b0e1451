using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;

namespace ServiceAccounts.Core.Tenancy;

/// <summary>What the actor is to an entity, read from the database on every call.</summary>
public enum Relation
{
    None,
    Member,
    Owner,
    Support,
    System,
}

internal static class Access
{
    public static async Task<Relation> RelationAsync(AppDbContext db, Actor actor, string entityId, CancellationToken cancellationToken)
    {
        switch (actor.Type)
        {
            case ActorType.System:
                return Relation.System;
            case ActorType.Support:
                return Relation.Support;
            case ActorType.User or ActorType.ServiceAccount when actor.Id is not null:
                var memberships = actor.Type == ActorType.User
                    ? db.Memberships.Where(m => m.UserId == actor.Id)
                    : db.Memberships.Where(m => m.ServiceAccountId == actor.Id);
                var role = await memberships.Where(m => m.EntityId == entityId).Select(m => (Role?)m.Role).FirstOrDefaultAsync(cancellationToken);
                return role switch
                {
                    Role.Owner => Relation.Owner,
                    Role.Member => Relation.Member,
                    _ => Relation.None,
                };
            default:
                return Relation.None;
        }
    }

    public static IQueryable<TenancyEntity> ByRef(this IQueryable<TenancyEntity> entities, EntityRef entity) =>
        entity.Kind == EntityKind.Org
            ? entities.Where(e => e is Org && e.Handle == entity.Handle)
            : entities.Where(e => e is Tenant && e.Handle == entity.Handle);

    /// <summary>The entity and the actor's relation to it; NotFound when it doesn't exist or the actor has no business there.</summary>
    public static async Task<Result<(TenancyEntity Entity, Relation Relation)>> EntityForAsync(AppDbContext db, Actor actor, EntityRef entityRef, CancellationToken cancellationToken)
    {
        var entity = await db.Entities.ByRef(entityRef).FirstOrDefaultAsync(cancellationToken);
        if (entity is null)
        {
            return NotFound(entityRef);
        }
        var relation = await RelationAsync(db, actor, entity.Id, cancellationToken);
        return relation == Relation.None ? NotFound(entityRef) : Result.Ok((entity, relation));
    }

    public static Failure NotFound(EntityRef entity) =>
        Result.NotFound($"There is no {(entity.Kind == EntityKind.Org ? "organization" : "tenant")} named '{entity.Handle}', or you are not a member of it.");

    public static readonly Failure SupportIsReadOnly = Result.Forbidden("Support staff have read-only access and cannot make changes.");
}
