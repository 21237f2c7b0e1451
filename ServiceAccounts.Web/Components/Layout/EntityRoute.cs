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

    public static string ServiceAccountSettings(EntityRef billingEntity, string handle) =>
        $"{Prefix(billingEntity)}/service-accounts/{Uri.EscapeDataString(handle)}/settings";

    public static string TenantAuthentication(string tenantHandle) => $"tenant/{Uri.EscapeDataString(tenantHandle)}/settings/authentication";
}
