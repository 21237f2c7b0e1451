using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using ServiceAccounts.Tests.TestSupport;
using ServiceAccounts.Web.Components.Pages.Members;

namespace ServiceAccounts.Tests.Web.Members;

/// <summary>The Members page over the demo data, found the way a person (or a screen reader) finds things: by names.</summary>
public abstract class MembersTestContext : ConsoleTestContext
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    protected async Task<IRenderedComponent<MembersPage>> OpenMembersAsync(string email, string org = "sandbox")
    {
        await SignInAsAsync(email);
        var page = RenderWithProviders<MembersPage>(p => p.Add(x => x.Org, org));
        page.WaitForAssertion(() => Handles(page).Should().NotBeEmpty(), Patience);
        return page;
    }

    protected async Task<IRenderedComponent<MembersPage>> OpenTenantMembersAsync(string email, string tenant)
    {
        await SignInAsAsync(email);
        var page = RenderWithProviders<MembersPage>(p => p.Add(x => x.Tenant, tenant));
        page.WaitForAssertion(() => Handles(page).Should().NotBeEmpty(), Patience);
        return page;
    }

    protected static IReadOnlyList<string> Handles(IRenderedComponent<MembersPage> page) =>
        page.FindAll("td[data-label='Handle']").Select(cell => cell.TextContent.Trim()).ToList();

    /// <summary>The text of a row's cell, by the row's handle and the column's name.</summary>
    protected static string Cell(IRenderedComponent<MembersPage> page, string handle, string column)
    {
        var row = page.FindAll("tr").Single(tr => tr.QuerySelector("td[data-label='Handle']")?.TextContent.Trim() == handle);
        return row.QuerySelector($"td[data-label='{column}']")!.TextContent.Trim();
    }

    protected static IReadOnlyList<string> ColumnHeaders(IRenderedComponent<MembersPage> page) =>
        page.FindAll("thead th").Select(th => th.TextContent.Trim()).Where(text => text.Length > 0).ToList();

    protected static IElement? ButtonNamed<T>(IRenderedComponent<T> root, string name)
        where T : IComponent =>
        root.FindAll("button, a").FirstOrDefault(b => b.GetAttribute("aria-label") == name || (b.GetAttribute("aria-label") is null && b.TextContent.Trim() == name));

    protected static IElement? ByLabel<T>(IRenderedComponent<T> root, string ariaLabel)
        where T : IComponent =>
        root.FindAll($"[aria-label='{ariaLabel}']").FirstOrDefault();

    /// <summary>Opens the Add Member menu and chooses Create Service Account.</summary>
    protected void OpenCreateDialog(IRenderedComponent<MembersPage> page)
    {
        ButtonNamed(page, "Add Member")!.Click();
        PopoverProvider.WaitForAssertion(() => MenuItem("Create Service Account").Should().NotBeNull(), Patience);
        MenuItem("Create Service Account")!.Click();
        DialogProvider.WaitForAssertion(() => DialogProvider.FindAll("form#create-service-account-form").Should().ContainSingle(), Patience);
    }

    protected IElement? MenuItem(string text) =>
        PopoverProvider.FindAll(".mud-menu-item, .mud-list-item").FirstOrDefault(item => item.TextContent.Trim() == text);

    /// <summary>The input of a MudBlazor field, by its visible label.</summary>
    protected static IElement Field<T>(IRenderedComponent<T> root, string label)
        where T : IComponent
    {
        var control = root.FindAll(".mud-input-control")
            .Single(c => c.QuerySelector("label")?.TextContent.Trim().TrimEnd('*').Trim() == label);
        return control.QuerySelector("input, textarea")!;
    }

    protected static string HelperTextOf<T>(IRenderedComponent<T> root, string label)
        where T : IComponent
    {
        var control = root.FindAll(".mud-input-control")
            .Single(c => c.QuerySelector("label")?.TextContent.Trim().TrimEnd('*').Trim() == label);
        return control.QuerySelector(".mud-input-helper-text")?.TextContent.Trim() ?? string.Empty;
    }
}
