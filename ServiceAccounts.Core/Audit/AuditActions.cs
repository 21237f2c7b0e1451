namespace ServiceAccounts.Core.Audit;

/// <summary>The action_type values of DESIGN.md.</summary>
public static class AuditActions
{
    public const string ServiceAccountCreate = "service_account.create";
    public const string ServiceAccountUpdate = "service_account.update";
    public const string ServiceAccountRoleUpdate = "service_account.role.update";
    public const string ServiceAccountDelete = "service_account.delete";
    public const string TokenCreate = "token.create";
    public const string TokenUpdate = "token.update";
    public const string TokenDeactivate = "token.deactivate";
    public const string TokenActivate = "token.activate";
    public const string TokenDelete = "token.delete";
    public const string TokenAuthFailed = "token.auth_failed";
    public const string TenantSettingsUpdate = "tenant.settings.update";
    public const string TenantAuthenticationReset = "tenant.authentication.reset";
    public const string ApiRequest = "api.request";
    public const string SupportAuditLogView = "support.audit_log.view";
    public const string SupportAuditLogExport = "support.audit_log.export";

    public static IReadOnlyList<string> All { get; } =
    [
        ServiceAccountCreate, ServiceAccountUpdate, ServiceAccountRoleUpdate, ServiceAccountDelete,
        TokenCreate, TokenUpdate, TokenDeactivate, TokenActivate, TokenDelete, TokenAuthFailed,
        TenantSettingsUpdate, TenantAuthenticationReset, ApiRequest, SupportAuditLogView, SupportAuditLogExport,
    ];

    /// <summary>How people read an action: "Token created" for token.create. Unknown values are shown as they are.</summary>
    public static string Label(string actionType) => actionType switch
    {
        ServiceAccountCreate => "Service account created",
        ServiceAccountUpdate => "Service account updated",
        ServiceAccountRoleUpdate => "Role changed",
        ServiceAccountDelete => "Service account deleted",
        TokenCreate => "Token created",
        TokenUpdate => "Token updated",
        TokenDeactivate => "Token deactivated",
        TokenActivate => "Token activated",
        TokenDelete => "Token deleted",
        TokenAuthFailed => "Authentication refused",
        TenantSettingsUpdate => "Tenant settings updated",
        TenantAuthenticationReset => "Authentication reset",
        ApiRequest => "API request",
        SupportAuditLogView => "Support viewed the audit log",
        SupportAuditLogExport => "Support exported the audit log",
        _ => actionType,
    };
}
