namespace ServiceAccounts.Core.Tenancy;

/// <summary>An org or tenant the actor belongs to, with the actor's role there.</summary>
public sealed record MyEntity(EntityKind Kind, string Handle, string DisplayName, Plan Plan, Role Role, string? TenantHandle)
{
    public EntityRef Ref => new(Kind, Handle);
}

/// <summary>An entity as a page shows it: what it is and what the caller is to it.</summary>
public sealed record EntityView(string Id, EntityKind Kind, string Handle, string DisplayName, Plan Plan, bool IsBillingEntity, string TenantHandle, Relation Relation)
{
    public EntityRef Ref => new(Kind, Handle);

    public bool CanManage => Relation is Relation.Owner or Relation.System;
}

public enum MemberKind
{
    User,
    ServiceAccount,
}

/// <summary>One row of the Members tab.</summary>
public sealed record MemberRow(
    MemberKind Kind,
    string Id,
    string Handle,
    string DisplayName,
    Role Role,
    DateTime? LastActivityAt,
    EntityKind? BillingEntityKind,
    string? BillingEntityHandle)
{
    /// <summary>Where a service account is managed (its billing entity), for its cog.</summary>
    public EntityRef? ManagedIn => BillingEntityKind is { } kind && BillingEntityHandle is { } handle ? new EntityRef(kind, handle) : null;
}

public sealed record MemberQuery(string? Search = null, int Page = 0, int PageSize = 25)
{
    public const int MaxPageSize = 100;
}

public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int PageIndex, int PageSize);

public sealed record AuthenticationSettings(string TenantHandle, int? MaxTokenExpirationDays, int SessionTimeoutDays, DateTime? AuthenticationResetAt, long Version);
