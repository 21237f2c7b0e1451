namespace ServiceAccounts.Core.Tenancy;

public enum EntityKind
{
    Tenant,
    Org,
}

public enum Plan
{
    Team,
    Enterprise,
}

public enum Role
{
    Member,
    Owner,
}

/// <summary>A tenant or an org: something with members. Stored in one table (TPH).</summary>
public abstract class TenancyEntity
{
    public const int DisplayNameMaxLength = 100;

    protected TenancyEntity()
    {
    }

    protected TenancyEntity(string id, string handle, string displayName, Plan plan, DateTime createdAt)
    {
        Id = id;
        Handle = handle;
        DisplayName = displayName;
        Plan = plan;
        CreatedAt = createdAt;
    }

    public string Id { get; private set; } = null!;
    public abstract EntityKind Kind { get; }
    public string Handle { get; private set; } = null!;
    public string DisplayName { get; private set; } = null!;
    public Plan Plan { get; private set; }
    public DateTime CreatedAt { get; private set; }

    /// <summary>Where service accounts are created and managed: a Team-plan org or an Enterprise tenant.</summary>
    public abstract bool IsBillingEntity { get; }

    /// <summary>The tenant this entity is or sits in.</summary>
    public abstract string TenantId { get; }

    public EntityRef Ref => new(Kind, Handle);
}

/// <summary>How callers name an entity: by kind and handle, as the routes do.</summary>
public readonly record struct EntityRef(EntityKind Kind, string Handle)
{
    public static EntityRef Org(string handle) => new(EntityKind.Org, handle);

    public static EntityRef Tenant(string handle) => new(EntityKind.Tenant, handle);

    public override string ToString() => $"{(Kind == EntityKind.Org ? "org" : "tenant")}/{Handle}";
}
