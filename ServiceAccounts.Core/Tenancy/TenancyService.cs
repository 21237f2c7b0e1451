using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;

namespace ServiceAccounts.Core.Tenancy;

public sealed class TenancyService(Db db, TimeProvider clock)
{
    /// <summary>The orgs and tenants the actor is a member of, with its role in each.</summary>
    public Task<Result<IReadOnlyList<MyEntity>>> GetMyEntitiesAsync(Actor actor, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<MyEntity>>(async context =>
        {
            if (!actor.IsMemberKind || actor.Id is null)
            {
                return actor.Type == ActorType.Support
                    ? Result.Ok<IReadOnlyList<MyEntity>>([])
                    : Result.Forbidden("Sign in to see your organizations.");
            }
            var memberships = actor.Type == ActorType.User
                ? context.Memberships.Where(m => m.UserId == actor.Id)
                : context.Memberships.Where(m => m.ServiceAccountId == actor.Id);
            var rows = await memberships
                .Select(m => new
                {
                    IsOrg = m.Entity is Org,
                    m.Entity.Handle,
                    m.Entity.DisplayName,
                    m.Entity.Plan,
                    m.Role,
                    TenantHandle = m.Entity is Org ? ((Org)m.Entity).ParentTenant.Handle : null,
                })
                .ToListAsync(cancellationToken);
            var entities = rows
                .Select(r => new MyEntity(r.IsOrg ? EntityKind.Org : EntityKind.Tenant, r.Handle, r.DisplayName, r.Plan, r.Role, r.TenantHandle))
                .OrderBy(e => e.Kind).ThenBy(e => e.Handle, StringComparer.Ordinal)
                .ToList();
            return Result.Ok<IReadOnlyList<MyEntity>>(entities);
        }, cancellationToken);

    public Task<Result<EntityView>> GetEntityAsync(Actor actor, EntityRef entityRef, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async context =>
        {
            var found = await Access.EntityForAsync(context, actor, entityRef, cancellationToken);
            if (!found.IsOk)
            {
                return found.AsFailure();
            }
            var (entity, relation) = found.Value;
            var tenantHandle = await context.Tenants.Where(t => t.Id == entity.TenantId).Select(t => t.Handle).FirstAsync(cancellationToken);
            return Result.Ok(new EntityView(entity.Id, entity.Kind, entity.Handle, entity.DisplayName, entity.Plan, entity.IsBillingEntity, tenantHandle, relation));
        }, cancellationToken);

    /// <summary>Users and service accounts of an entity, searchable by handle or name, one page at a time.</summary>
    public Task<Result<Page<MemberRow>>> GetMembersAsync(Actor actor, EntityRef entityRef, MemberQuery query, CancellationToken cancellationToken = default) =>
        db.ReadAsync<Page<MemberRow>>(async context =>
        {
            if (query.Page < 0 || query.PageSize is < 1 or > MemberQuery.MaxPageSize)
            {
                return Result.Invalid("page", $"Page must be 0 or more and page size between 1 and {MemberQuery.MaxPageSize}.");
            }
            var found = await Access.EntityForAsync(context, actor, entityRef, cancellationToken);
            if (!found.IsOk)
            {
                return found.AsFailure();
            }
            var entityId = found.Value.Entity.Id;
            // Both sides share one anonymous shape so that EF can make a single UNION ALL, then page it in SQL.
            var users =
                from m in context.Memberships
                where m.EntityId == entityId
                join u in context.Users on m.UserId equals u.Id
                select new
                {
                    Kind = MemberKind.User,
                    u.Id,
                    u.Handle,
                    u.DisplayName,
                    m.Role,
                    u.LastActivityAt,
                    BillingEntityKind = (EntityKind?)null,
                    BillingEntityHandle = (string?)null,
                };
            var accounts =
                from m in context.Memberships
                where m.EntityId == entityId
                join s in context.ServiceAccounts on m.ServiceAccountId equals s.Id
                select new
                {
                    Kind = MemberKind.ServiceAccount,
                    s.Id,
                    s.Handle,
                    DisplayName = s.Title,
                    m.Role,
                    s.LastActivityAt,
                    BillingEntityKind = (EntityKind?)(s.BillingEntity is Org ? EntityKind.Org : EntityKind.Tenant),
                    BillingEntityHandle = (string?)s.BillingEntity.Handle,
                };
            var members = users.Concat(accounts);
            if (!string.IsNullOrWhiteSpace(query.Search))
            {
                var pattern = "%" + EscapeLike(query.Search.Trim()) + "%";
                members = members.Where(r => EF.Functions.Like(r.Handle, pattern, "\\") || EF.Functions.Like(r.DisplayName, pattern, "\\"));
            }
            var total = await members.CountAsync(cancellationToken);
            var rows = await members
                .OrderBy(r => r.Kind).ThenBy(r => r.DisplayName).ThenBy(r => r.Handle)
                .Skip(query.Page * query.PageSize).Take(query.PageSize)
                .ToListAsync(cancellationToken);
            var items = rows
                .Select(r => new MemberRow(r.Kind, r.Id, r.Handle, r.DisplayName, r.Role, r.LastActivityAt, r.BillingEntityKind, r.BillingEntityHandle))
                .ToList();
            return Result.Ok(new Page<MemberRow>(items, total, query.Page, query.PageSize));
        }, cancellationToken);

    /// <summary>Creates a Team-plan org in the default tenant, with the creator as its owner.</summary>
    public Task<Result<MyEntity>> CreateOrgAsync(Actor actor, string? handle, string? displayName, CancellationToken cancellationToken = default) =>
        db.WriteAsync<MyEntity>(async context =>
        {
            if (actor.Type != ActorType.User || actor.Id is null)
            {
                return actor.Type == ActorType.Support ? Access.SupportIsReadOnly : Result.Forbidden("Only people signed in to the console can create organizations.");
            }
            var errors = new Dictionary<string, string>();
            var normalizedHandle = (handle ?? string.Empty).Trim();
            if (!Handles.IsValid(normalizedHandle))
            {
                errors["handle"] = "Handle must be 2–39 characters: lowercase letters, digits and hyphens, starting and ending with a letter or digit.";
            }
            if (TextInput.Check(displayName, "Name", TenancyEntity.DisplayNameMaxLength, required: true, multiline: false, out var name) is { } nameError)
            {
                errors["displayName"] = nameError;
            }
            if (errors.Count == 0 && await context.Orgs.AnyAsync(o => o.Handle == normalizedHandle, cancellationToken))
            {
                errors["handle"] = $"An organization named '{normalizedHandle}' already exists.";
            }
            if (errors.Count > 0)
            {
                return Result.Invalid(errors);
            }
            var tenant = await context.Tenants.FirstAsync(t => t.IsDefault, cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            var org = Org.Create(Ids.NewEntityId(), normalizedHandle, name, tenant, now);
            context.Orgs.Add(org);
            context.Memberships.Add(Membership.ForUser(org.Id, actor.Id, Role.Owner, now));
            return Result.Ok(new MyEntity(EntityKind.Org, org.Handle, org.DisplayName, org.Plan, Role.Owner, tenant.Handle));
        }, cancellationToken);

    public Task<Result<AuthenticationSettings>> GetAuthenticationSettingsAsync(Actor actor, string tenantHandle, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async context =>
        {
            var tenant = await LoadTenantAsync(context, actor, tenantHandle, write: false, cancellationToken);
            return tenant.IsOk ? Result.Ok(Settings(tenant.Value!)) : tenant.AsFailure();
        }, cancellationToken);

    /// <summary>
    /// Sets the Maximum Token Expiration (null: no maximum) and the console session timeout. Existing tokens
    /// keep their expiration; the maximum can't be below the session timeout.
    /// </summary>
    public Task<Result<AuthenticationSettings>> UpdateAuthenticationSettingsAsync(Actor actor, string tenantHandle, int? maxTokenExpirationDays, int sessionTimeoutDays, long expectedVersion, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async context =>
        {
            var loaded = await LoadTenantAsync(context, actor, tenantHandle, write: true, cancellationToken);
            if (!loaded.IsOk)
            {
                return loaded.AsFailure();
            }
            var tenant = loaded.Value!;
            var errors = new Dictionary<string, string>();
            if (sessionTimeoutDays is < Tenant.SessionTimeoutMinDays or > Tenant.SessionTimeoutMaxDays)
            {
                errors["sessionTimeoutDays"] = $"Console Session Timeout must be between {Tenant.SessionTimeoutMinDays} and {Tenant.SessionTimeoutMaxDays} days.";
            }
            if (maxTokenExpirationDays is { } max)
            {
                if (max is < 1 or > Tenant.MaxTokenExpirationMaxDays)
                {
                    errors["maxTokenExpirationDays"] = $"Maximum Token Expiration must be between 1 and {Tenant.MaxTokenExpirationMaxDays} days, or Never.";
                }
                else if (max < sessionTimeoutDays)
                {
                    errors["maxTokenExpirationDays"] = $"Maximum Token Expiration can't be shorter than the Console Session Timeout ({sessionTimeoutDays} days).";
                }
            }
            if (errors.Count > 0)
            {
                return Result.Invalid(errors);
            }
            if (tenant.Version != expectedVersion)
            {
                return Result.Conflict(ConflictReason.StaleVersion, "These settings were changed by someone else since you loaded them. Reload and try again.");
            }
            var data = new Dictionary<string, object>();
            if (tenant.MaxTokenExpirationDays != maxTokenExpirationDays)
            {
                data["max_token_expiration_days"] = new Change<int?>(tenant.MaxTokenExpirationDays, maxTokenExpirationDays);
            }
            if (tenant.SessionTimeoutDays != sessionTimeoutDays)
            {
                data["session_timeout_days"] = new Change<int>(tenant.SessionTimeoutDays, sessionTimeoutDays);
            }
            if (data.Count > 0)
            {
                context.Add(tenant.Id, AuditActions.TenantSettingsUpdate, actor, clock.GetUtcNow().UtcDateTime,
                    new AuditSubject(TargetId: tenant.Id, TargetHandle: tenant.Handle), data);
                tenant.SetAuthenticationSettings(maxTokenExpirationDays, sessionTimeoutDays);
            }
            return Result.Ok(Settings(tenant));
        }, cancellationToken);

    /// <summary>Every token issued until now stops authenticating.</summary>
    public Task<Result<AuthenticationSettings>> ResetAuthenticationAsync(Actor actor, string tenantHandle, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async context =>
        {
            var loaded = await LoadTenantAsync(context, actor, tenantHandle, write: true, cancellationToken);
            if (!loaded.IsOk)
            {
                return loaded.AsFailure();
            }
            var tenant = loaded.Value!;
            var now = clock.GetUtcNow().UtcDateTime;
            context.Add(tenant.Id, AuditActions.TenantAuthenticationReset, actor, now,
                new AuditSubject(TargetId: tenant.Id, TargetHandle: tenant.Handle),
                new { authentication_reset_at = new Change<DateTime?>(tenant.AuthenticationResetAt, now) });
            tenant.ResetAuthentication(now);
            return Result.Ok(Settings(tenant));
        }, cancellationToken);

    private static async Task<Result<Tenant>> LoadTenantAsync(AppDbContext context, Actor actor, string tenantHandle, bool write, CancellationToken cancellationToken)
    {
        var tenant = await context.Tenants.FirstOrDefaultAsync(t => t.Handle == tenantHandle && !t.IsDefault, cancellationToken);
        var relation = tenant is null ? Relation.None : await Access.RelationAsync(context, actor, tenant.Id, cancellationToken);
        return relation switch
        {
            Relation.None => Access.NotFound(EntityRef.Tenant(tenantHandle)),
            Relation.Support when !write => Result.Ok(tenant!),
            Relation.Support => Access.SupportIsReadOnly,
            Relation.Member => Result.Forbidden($"Only owners of {tenantHandle} can see and change its authentication settings."),
            Relation.Owner when actor.Type == ActorType.ServiceAccount =>
                Result.Forbidden("Authentication settings can only be changed by people, in the console."),
            _ => Result.Ok(tenant!),
        };
    }

    private static AuthenticationSettings Settings(Tenant t) => new(t.Handle, t.MaxTokenExpirationDays, t.SessionTimeoutDays, t.AuthenticationResetAt, t.Version);

    private static string EscapeLike(string value) => value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
