namespace ServiceAccounts.Core.Tenancy;

public sealed class Org : TenancyEntity
{
    private Org()
    {
    }

    private Org(string id, string handle, string displayName, Tenant tenant, DateTime createdAt)
        : base(id, handle, displayName, tenant.IsDefault ? Plan.Team : Plan.Enterprise, createdAt)
    {
        ParentTenantId = tenant.Id;
    }

    public override EntityKind Kind => EntityKind.Org;
    public string ParentTenantId { get; private set; } = null!;
    public Tenant ParentTenant { get; private set; } = null!;

    /// <summary>A Team org is its own billing entity; an Enterprise org's accounts live in its tenant.</summary>
    public override bool IsBillingEntity => Plan == Plan.Team;

    public override string TenantId => ParentTenantId;

    public static Org Create(string id, string handle, string displayName, Tenant tenant, DateTime at) => new(id, handle, displayName, tenant, at);
}
