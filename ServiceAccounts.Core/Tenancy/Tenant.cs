namespace ServiceAccounts.Core.Tenancy;

public sealed class Tenant : TenancyEntity
{
    public const string DefaultHandle = "default";
    public const int DefaultSessionTimeoutDays = 30;
    public const int SessionTimeoutMinDays = 1;
    public const int SessionTimeoutMaxDays = 365;
    public const int MaxTokenExpirationMaxDays = 3650;

    private Tenant()
    {
    }

    private Tenant(string id, string handle, string displayName, bool isDefault, DateTime createdAt)
        : base(id, handle, displayName, isDefault ? Plan.Team : Plan.Enterprise, createdAt)
    {
        IsDefault = isDefault;
        SessionTimeoutDays = DefaultSessionTimeoutDays;
    }

    public override EntityKind Kind => EntityKind.Tenant;
    public bool IsDefault { get; private set; }

    /// <summary>Null means tokens may be created with any expiration, including Never.</summary>
    public int? MaxTokenExpirationDays { get; private set; }

    public int SessionTimeoutDays { get; private set; }

    /// <summary>Tokens issued at or before this instant no longer authenticate.</summary>
    public DateTime? AuthenticationResetAt { get; private set; }

    public long Version { get; private set; } = 1;

    public override bool IsBillingEntity => !IsDefault;
    public override string TenantId => Id;

    public static Tenant CreateDefault(string id, DateTime at) => new(id, DefaultHandle, "Default tenant", true, at);

    public static Tenant CreateEnterprise(string id, string handle, string displayName, DateTime at) => new(id, handle, displayName, false, at);

    public void SetAuthenticationSettings(int? maxTokenExpirationDays, int sessionTimeoutDays)
    {
        MaxTokenExpirationDays = maxTokenExpirationDays;
        SessionTimeoutDays = sessionTimeoutDays;
        Version++;
    }

    public void ResetAuthentication(DateTime at)
    {
        AuthenticationResetAt = at;
        Version++;
    }
}
