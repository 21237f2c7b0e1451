using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Tenancy;

/// <summary>The Members tab: users and service accounts, searchable, paged on the server.</summary>
public sealed class MembersTests
{
    [Fact]
    public async Task GetMembersAsync_OrgWithUsersAndServiceAccounts_ListsEachWithKindAndRole()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var team = await TeamAsync(host);

        // Act
        var page = CoreHost.Must(await host.Tenancy.GetMembersAsync(team.Owner, team.Org, new MemberQuery()));

        // Assert
        page.Total.Should().Be(4);
        page.Items.Select(m => (m.Kind, m.Handle, m.Role)).Should().BeEquivalentTo(new[]
        {
            (MemberKind.User, "ada-owner", Role.Owner),
            (MemberKind.User, "max-member", Role.Member),
            (MemberKind.ServiceAccount, "deploy-bot", Role.Member),
            (MemberKind.ServiceAccount, "terraform-runner", Role.Owner),
        });
        page.Items.Where(m => m.Kind == MemberKind.ServiceAccount).Should().OnlyContain(m => m.ManagedIn == team.Org);
        page.Items.Where(m => m.Kind == MemberKind.User).Should().OnlyContain(m => m.ManagedIn == null);
    }

    [Fact]
    public async Task GetMembersAsync_EnterpriseOrg_ShowsTenantAccountManagedInTheTenant()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var owner = await host.UserAsync("ada-owner");
        var tenant = await host.EnterpriseTenantAsync(owner, "acme");
        var org = await host.EnterpriseOrgAsync(owner, "acme", "acme-platform");
        var account = await host.AccountAsync(owner, tenant, "Metrics Exporter");
        var (actor, _) = await host.TokenActorAsync(owner, tenant, account.Handle);
        await host.AddMemberAsync(org, actor);

        // Act
        var page = CoreHost.Must(await host.Tenancy.GetMembersAsync(owner, org, new MemberQuery()));

        // Assert
        page.Items.Should().ContainSingle(m => m.Kind == MemberKind.ServiceAccount)
            .Which.Should().Match<MemberRow>(m => m.Handle == "metrics-exporter" && m.DisplayName == "Metrics Exporter" && m.ManagedIn == tenant);
    }

    [Theory]
    [InlineData("deploy", "deploy-bot")]
    [InlineData("DEPLOY-B", "deploy-bot")]
    [InlineData("max member", "max-member")]
    [InlineData("max-member", "max-member")]
    [InlineData("Terraform Run", "terraform-runner")]
    public async Task GetMembersAsync_Search_MatchesHandleOrName(string search, string expectedHandle)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var team = await TeamAsync(host);

        // Act
        var page = CoreHost.Must(await host.Tenancy.GetMembersAsync(team.Owner, team.Org, new MemberQuery(Search: search)));

        // Assert
        page.Items.Select(m => m.Handle).Should().Equal(expectedHandle);
        page.Total.Should().Be(1);
    }

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("nobody")]
    public async Task GetMembersAsync_SearchMatchingNothingLiterally_IsEmpty(string search)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var team = await TeamAsync(host);

        // Act
        var page = CoreHost.Must(await host.Tenancy.GetMembersAsync(team.Owner, team.Org, new MemberQuery(Search: search)));

        // Assert
        page.Items.Should().BeEmpty();
        page.Total.Should().Be(0);
    }

    [Fact]
    public async Task GetMembersAsync_PagesOfTwo_CoverEveryMemberOnce()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var team = await TeamAsync(host);
        await host.AccountAsync(team.Owner, team.Org, "Backup Job");

        // Act
        var pages = new List<Page<MemberRow>>();
        for (var index = 0; index < 4; index++)
        {
            pages.Add(CoreHost.Must(await host.Tenancy.GetMembersAsync(team.Owner, team.Org, new MemberQuery(Page: index, PageSize: 2))));
        }

        // Assert
        pages.Select(p => p.Items.Count).Should().Equal(2, 2, 1, 0);
        pages.Should().OnlyContain(p => p.Total == 5 && p.PageSize == 2);
        pages.Select(p => p.PageIndex).Should().Equal(0, 1, 2, 3);
        pages.SelectMany(p => p.Items).Select(m => m.Id).Should().OnlyHaveUniqueItems().And.HaveCount(5);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 101)]
    [InlineData(0, -5)]
    [InlineData(-1, 25)]
    public async Task GetMembersAsync_PageOrPageSizeOutOfRange_IsInvalid(int page, int pageSize)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var team = await TeamAsync(host);

        // Act
        var result = await host.Tenancy.GetMembersAsync(team.Owner, team.Org, new MemberQuery(Page: page, PageSize: pageSize));

        // Assert
        result.Status.Should().Be(ResultStatus.Invalid);
        result.Message.Should().Contain("between 1 and 100");
    }

    [Fact]
    public async Task GetMembersAsync_LargestPageSize_IsAccepted()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var team = await TeamAsync(host);

        // Act
        var result = await host.Tenancy.GetMembersAsync(team.Owner, team.Org, new MemberQuery(PageSize: MemberQuery.MaxPageSize));

        // Assert
        result.IsOk.Should().BeTrue(result.ToString());
        result.Value!.Items.Should().HaveCount(4);
    }

    private sealed record Team(Actor Owner, EntityRef Org);

    /// <summary>ada-owner (owner), max-member (member), deploy-bot (member account), terraform-runner (owner account).</summary>
    private static async Task<Team> TeamAsync(CoreHost host)
    {
        var owner = await host.UserAsync("ada-owner");
        var member = await host.UserAsync("max-member");
        var org = await host.OrgAsync(owner, "sandbox");
        await host.AddMemberAsync(org, member);
        await host.AccountAsync(owner, org, "Deploy Bot");
        await host.AccountAsync(owner, org, "Terraform Runner", Role.Owner);
        return new Team(owner, org);
    }
}
