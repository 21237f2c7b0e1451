using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Core.ServiceAccounts;

public sealed record ServiceAccountView(
    string Id,
    string Handle,
    string Title,
    string Description,
    Role Role,
    EntityRef BillingEntity,
    DateTime CreatedAt,
    string CreatedByHandle,
    DateTime UpdatedAt,
    string UpdatedByHandle,
    DateTime? LastActivityAt,
    long Version,
    int TokenCount);

public sealed record NewServiceAccount(string? Title, string? Description);

public sealed record ServiceAccountChanges(string? Title, string? Description);
