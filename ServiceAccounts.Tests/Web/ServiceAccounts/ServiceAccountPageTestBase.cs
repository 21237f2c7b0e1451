using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;
using ServiceAccounts.Web.Components.Pages.ServiceAccountPages;

namespace ServiceAccounts.Tests.Web.ServiceAccounts;

/// <summary>The service account page of the demo data (org sandbox), rendered as a signed-in person sees it.</summary>
public abstract class ServiceAccountPageTestBase : ConsoleTestContext
{
    protected static readonly EntityRef Sandbox = EntityRef.Org("sandbox");
    protected const string Handle = "ci-deployer";

    protected NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    protected ISnackbar Snackbar => Services.GetRequiredService<ISnackbar>();

    /// <summary>Renders …/service-accounts/{handle}/{tab} of the org and waits until it has loaded.</summary>
    protected IRenderedComponent<ServiceAccountPage> RenderPage(string tab, string handle = Handle, string org = "sandbox")
    {
        Navigation.NavigateTo($"org/{org}/service-accounts/{handle}/{tab}");
        var page = RenderWithProviders<ServiceAccountPage>(p => p
            .Add(x => x.Org, org)
            .Add(x => x.Handle, handle)
            .Add(x => x.Tab, tab));
        page.WaitForAssertion(() => page.FindAll("[aria-busy=true]").Should().BeEmpty(), TimeSpan.FromSeconds(10));
        return page;
    }

    protected async Task<ServiceAccountView> AccountInCoreAsync() =>
        CoreHost.Must(await Core.Accounts.GetAsync(Actor, Sandbox, Handle));

    /// <summary>The input (or textarea) of the MudBlazor field labelled <paramref name="label"/>.</summary>
    protected static IElement Field<T>(IRenderedComponent<T> root, string label)
        where T : IComponent => FieldIn(root.Nodes, label);

    protected static IElement FieldIn(INodeList nodes, string label)
    {
        var control = nodes.QuerySelectorAll(".mud-input-control")
            .Single(c => c.QuerySelector("label")?.TextContent.Trim().TrimEnd('*').Trim() == label);
        return control.QuerySelector("input, textarea")!;
    }

    protected static IElement? ButtonIn(INodeList nodes, string name) =>
        nodes.QuerySelectorAll("button").SingleOrDefault(b => b.TextContent.Trim() == name || b.GetAttribute("aria-label") == name);

    protected static bool IsDisabled(IElement button) => button.HasAttribute("disabled");
}
