using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Web.Components.Layout;

/// <summary>The console's addresses for an entity: /org/{org}/… and /tenant/{tenant}/…, read and written in one place.</summary>
public static class EntityRoute
{
    /// <summary>The entity an address (absolute or base-relative) is about, or null for pages outside any entity.</summary>
    public static EntityRef? Parse(string relativePath)
    {
        var path = relativePath.Split('?', '#')[0];
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2 || !Handles.IsValid(Uri.UnescapeDataString(segments[1])))
        {
            return null;
        }
        var handle = Uri.UnescapeDataString(segments[1]);
        return segments[0] switch
        {
            "org" => EntityRef.Org(handle),
            "tenant" => EntityRef.Tenant(handle),
            _ => null,
        };
    }

    /// <summary>"org/sandbox" or "tenant/acme": the start of every address of the entity (base-relative).</summary>
    public static string Prefix(EntityRef entity) => entity.ToString();

    public static string Members(EntityRef entity) => $"{Prefix(entity)}/members";

    public static string ServiceAccountSettings(EntityRef billingEntity, string handle) => ServiceAccount(billingEntity, handle, "settings");

    /// <summary>A tab of a service account's page: tokens, audit or settings.</summary>
    public static string ServiceAccount(EntityRef billingEntity, string handle, string tab) =>
        $"{Prefix(billingEntity)}/service-accounts/{Uri.EscapeDataString(handle)}/{tab}";

    /// <summary>The account's Audit Log filtered to what was done with or to one token (View activity).</summary>
    public static string TokenActivity(EntityRef billingEntity, string handle, string tokenId) =>
        $"{ServiceAccount(billingEntity, handle, "audit")}?{TokenParameter}={Uri.EscapeDataString(tokenId)}";

    /// <summary>The account's Tokens tab with one token picked out.</summary>
    public static string Token(EntityRef billingEntity, string handle, string tokenId) =>
        $"{ServiceAccount(billingEntity, handle, "tokens")}?{TokenParameter}={Uri.EscapeDataString(tokenId)}";

    /// <summary>The address parameter naming a token, on the Tokens and Audit Log tabs alike.</summary>
    public const string TokenParameter = "token";

    public static string TenantAuthentication(string tenantHandle) => $"tenant/{Uri.EscapeDataString(tenantHandle)}/settings/authentication";
}
