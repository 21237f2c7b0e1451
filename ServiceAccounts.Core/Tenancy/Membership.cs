using ServiceAccounts.Core.Security;

namespace ServiceAccounts.Core.Tenancy;

/// <summary>A user or a service account in a tenant or org, with a role. Exactly one of the member ids is set.</summary>
public sealed class Membership
{
    private Membership()
    {
    }

    public long Id { get; private set; }
    public string EntityId { get; private set; } = null!;
    public TenancyEntity Entity { get; private set; } = null!;
    public string? UserId { get; private set; }
    public string? ServiceAccountId { get; private set; }
    public Role Role { get; private set; }
    public DateTime CreatedAt { get; private set; }

    public static Membership ForUser(string entityId, string userId, Role role, DateTime at) =>
        new() { EntityId = entityId, UserId = userId, Role = role, CreatedAt = at };

    public static Membership ForServiceAccount(string entityId, string serviceAccountId, Role role, DateTime at) =>
        new() { EntityId = entityId, ServiceAccountId = serviceAccountId, Role = role, CreatedAt = at };

    public void ChangeRole(Role role) => Role = role;
}
