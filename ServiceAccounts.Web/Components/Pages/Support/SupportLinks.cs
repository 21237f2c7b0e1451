using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Web.Components.Layout;

namespace ServiceAccounts.Web.Components.Pages.Support;

/// <summary>Where support's findings lead: the pages owners use, which support reads read-only.</summary>
public static class SupportLinks
{
    public static string KindName(EntityKind kind) => kind == EntityKind.Org ? "organization" : "tenant";
}
