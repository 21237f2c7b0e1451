using Bunit;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Web.Components.Pages.Members;

namespace ServiceAccounts.Tests.Web.Members;

public sealed class MembersPageTests : MembersTestContext
{
    [Fact]
    public async Task Members_AsOwner_ListsUsersAndServiceAccountsWithTypeChipsAndManagement()
    {
        var page = await OpenMembersAsync("owner@example.com");

        ColumnHeaders(page).Should().StartWith(["Name", "Handle", "Type", "Role", "Last Activity"]);
        Handles(page).Should().HaveCount(4);
        page.Markup.Should().Contain("Ada Owner").And.Contain("Max Member").And.Contain("CI Deployer").And.Contain("Terraform Runner");
        Cell(page, "ci-deployer", "Type").Should().Be("Service Account");
        Cell(page, "terraform-runner", "Type").Should().Be("Service Account");
        Cell(page, "terraform-runner", "Role").Should().Be("Owner");
        var ada = Handles(page).Single(h => Cell(page, h, "Name").Contains("Ada Owner"));
        Cell(page, ada, "Type").Should().Be("User");
        ButtonNamed(page, "Add Member").Should().NotBeNull();
        var cog = ByLabel(page, "Manage ci-deployer");
        cog.Should().NotBeNull();
        cog!.GetAttribute("href").Should().EndWith("org/sandbox/service-accounts/ci-deployer/settings");
        ByLabel(page, "Member actions ci-deployer").Should().NotBeNull();
        ByLabel(page, "Manage terraform-runner").Should().NotBeNull();
    }

    [Fact]
    public async Task Members_AsOwner_ShowsRelativeLastActivityWithExactUtcOnHover()
    {
        var page = await OpenMembersAsync("owner@example.com");

        var times = page.FindAll("td[data-label='Last Activity'] time");
        times.Should().NotBeEmpty("the demo service accounts have been active");
        times.Should().AllSatisfy(time =>
        {
            time.GetAttribute("title").Should().MatchRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$");
            time.TextContent.Should().MatchRegex(@"(ago|just now)$");
        });
    }

    [Fact]
    public async Task Members_AsMember_ShowsListOnly()
    {
        var page = await OpenMembersAsync("member@example.com");

        Handles(page).Should().Contain(["ci-deployer", "terraform-runner"]);
        ButtonNamed(page, "Add Member").Should().BeNull();
        ByLabel(page, "Manage ci-deployer").Should().BeNull();
        ByLabel(page, "Member actions ci-deployer").Should().BeNull();
        page.FindAll("[aria-label^='Manage '], [aria-label^='Member actions ']").Should().BeEmpty();
    }

    [Fact]
    public async Task Members_AsSupport_ShowsListReadOnly()
    {
        var page = await OpenMembersAsync("support@example.com");

        Handles(page).Should().HaveCount(4);
        page.Markup.Should().Contain("read-only");
        ButtonNamed(page, "Add Member").Should().BeNull();
        page.FindAll("[aria-label^='Manage '], [aria-label^='Member actions ']").Should().BeEmpty();
    }

    [Fact]
    public async Task Members_OfAnotherEntity_ShowsNotFound()
    {
        var stranger = await Core.UserAsync("stranger");
        await SignInAsAsync("owner@example.com");
        var theirs = await Core.OrgAsync(stranger, "private-org");

        var page = RenderWithProviders<MembersPage>(p => p.Add(x => x.Org, theirs.Handle));

        page.WaitForAssertion(() => page.Find("h1").TextContent.Should().Be("Not found"), Patience);
        page.FindAll("td[data-label='Handle']").Should().BeEmpty();
    }

    [Fact]
    public async Task Search_ByHandle_NarrowsTheRows()
    {
        var page = await OpenMembersAsync("owner@example.com");

        page.Find(".members-search input").Input("terraform");

        page.WaitForAssertion(() => Handles(page).Should().Equal("terraform-runner"), Patience);
    }

    [Fact]
    public async Task Search_WithNoMatch_ShowsEmptyState()
    {
        var page = await OpenMembersAsync("owner@example.com");

        page.Find(".members-search input").Input("zzz-nobody");

        page.WaitForAssertion(() => page.Markup.Should().Contain("No members match “zzz-nobody”"), Patience);
        Handles(page).Should().BeEmpty();
    }

    [Fact]
    public async Task Members_OfEnterpriseOrgAsOwner_PointsToTenantAndCogLeadsToTenantPage()
    {
        var page = await OpenMembersAsync("owner@example.com", org: "acme-platform");

        ButtonNamed(page, "Add Member").Should().BeNull("service accounts of an Enterprise org are created in its tenant");
        page.FindAll("a").Should().Contain(a => a.GetAttribute("href")!.EndsWith("tenant/acme/members"));
        Cell(page, "metrics-exporter", "Name").Should().Contain("from tenant acme");
        ByLabel(page, "Manage metrics-exporter")!.GetAttribute("href").Should().EndWith("tenant/acme/service-accounts/metrics-exporter/settings");
        ByLabel(page, "Member actions metrics-exporter").Should().BeNull("its role is changed in the tenant");
    }

    [Fact]
    public async Task Members_OfTenantAsOwner_OffersCreate()
    {
        var page = await OpenTenantMembersAsync("owner@example.com", "acme");

        ButtonNamed(page, "Add Member").Should().NotBeNull();
        ByLabel(page, "Manage metrics-exporter")!.GetAttribute("href").Should().EndWith("tenant/acme/service-accounts/metrics-exporter/settings");
        ByLabel(page, "Member actions metrics-exporter").Should().NotBeNull();
    }

    [Fact]
    public async Task Paging_WithMoreMembersThanAPage_LoadsThePageFromTheServer()
    {
        var owner = await SignInAsAsync("owner@example.com");
        for (var i = 0; i < 12; i++)
        {
            (await Core.Accounts.CreateAsync(owner, EntityRef.Org("sandbox"), new(Title: $"Batch Job {i:00}", Description: null))).IsOk.Should().BeTrue();
        }
        var page = RenderWithProviders<MembersPage>(p => p.Add(x => x.Org, "sandbox"));
        page.WaitForAssertion(() => Handles(page).Should().HaveCount(16), Patience);

        page.Markup.Should().Contain("1-16 of 16");
    }
}
