using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Web.Components.Layout;

namespace ServiceAccounts.Web.Components.Pages.Support;

/// <summary>Where support's findings lead: the pages owners use, which support reads read-only.</summary>
public static class SupportLinks
{
    public static string Account(EntityRef billingEntity, string handle, string tab) =>
        $"{EntityRoute.Prefix(billingEntity)}/service-accounts/{Uri.EscapeDataString(handle)}/{tab}";

    /// <summary>The account's Audit Log filtered to what was done with one token.</summary>
    public static string TokenActivity(EntityRef billingEntity, string handle, string tokenId) =>
        $"{Account(billingEntity, handle, "audit")}?token={Uri.EscapeDataString(tokenId)}";

    public static string KindName(EntityKind kind) => kind == EntityKind.Org ? "organization" : "tenant";
}
