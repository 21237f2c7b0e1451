using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.Core.Audit;
using ServiceAccounts.Tests.TestSupport;

// Not "…Core.ServiceAccounts": a namespace of that name would shadow ServiceAccounts.Core.* in every sibling test namespace.
namespace ServiceAccounts.Tests.Core.Accounts;

/// <summary>Creating a service account: input checks and the handle it gets.</summary>
public sealed class ServiceAccountCreateTests
{
    /// <summary>The handle pattern of DESIGN.md, written out here rather than borrowed from Core.</summary>
    private static readonly Regex HandlePattern = new("^[a-z0-9][a-z0-9-]{0,37}[a-z0-9]$", RegexOptions.CultureInvariant);

    public static TheoryData<string?, string?, string, string> InvalidInputs => new()
    {
        { null, null, "title", "Title is required" },
        { "", null, "title", "Title is required" },
        { "   \t ", null, "title", "Title is required" },
        { new string('a', 101), null, "title", "at most 100 characters" },
        { "Deploy\u0007Bot", null, "title", "control characters" },
        { "Deploy\nBot", null, "title", "line breaks" },
        { "Deploy\u001BBot", null, "title", "control characters" },
        { "Deploy Bot", new string('d', 501), "description", "at most 500 characters" },
        { "Deploy Bot", "bell\u0007", "description", "control characters" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task CreateAsync_InvalidInput_IsInvalidWithReadableFieldErrorAndSavesNothing(string? title, string? description, string field, string message)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org) = await OrgAsync(host);
        var before = await DatabaseSnapshot.TakeAsync(host);

        // Act
        var result = await host.Accounts.CreateAsync(owner, org, new NewServiceAccount(title, description));

        // Assert
        result.Status.Should().Be(ResultStatus.Invalid);
        result.Errors.Should().ContainSingle().Which.Key.Should().Be(field);
        result.Errors[field].Should().Contain(message);
        result.Message.Should().Be(result.Errors[field]);
        (await DatabaseSnapshot.TakeAsync(host)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task CreateAsync_TitleAndDescriptionBothInvalid_ReportsBoth()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org) = await OrgAsync(host);

        // Act
        var result = await host.Accounts.CreateAsync(owner, org, new NewServiceAccount("", new string('d', 501)));

        // Assert
        result.Status.Should().Be(ResultStatus.Invalid);
        result.Errors.Keys.Should().BeEquivalentTo("title", "description");
    }

    [Fact]
    public async Task CreateAsync_LongestValidInput_IsAcceptedAndTrimmed()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org) = await OrgAsync(host);
        var title = new string('t', ServiceAccount.TitleMaxLength);
        var description = "line one\nline two\t" + new string('d', ServiceAccount.DescriptionMaxLength - 18);

        // Act
        var result = await host.Accounts.CreateAsync(owner, org, new NewServiceAccount("  " + title + "  ", description));

        // Assert
        result.IsOk.Should().BeTrue(result.ToString());
        result.Value!.Title.Should().Be(title);
        result.Value.Description.Should().Be(description);
        result.Value.Role.Should().Be(Role.Member);
    }

    [Theory]
    [InlineData("Deploy Bot #2", "deploy-bot-2")]
    [InlineData("  Métrics   Exporter!  ", "metrics-exporter")]
    [InlineData("CI/CD", "ci-cd")]
    [InlineData("--Backup__Job--", "backup-job")]
    public async Task CreateAsync_Title_DerivesHandle(string title, string handle)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org) = await OrgAsync(host);

        // Act
        var result = await host.Accounts.CreateAsync(owner, org, new NewServiceAccount(title, null));

        // Assert
        result.IsOk.Should().BeTrue(result.ToString());
        result.Value!.Handle.Should().Be(handle);
    }

    [Fact]
    public async Task CreateAsync_SameTitleThreeTimes_GetsNumberedHandles()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org) = await OrgAsync(host);

        // Act
        var handles = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            handles.Add(CoreHost.Must(await host.Accounts.CreateAsync(owner, org, new NewServiceAccount("Deploy Bot", null))).Handle);
        }

        // Assert
        handles.Should().Equal("deploy-bot", "deploy-bot-2", "deploy-bot-3");
    }

    [Fact]
    public async Task CreateAsync_SameTitleInAnotherOrg_StillGetsAnUnusedHandle()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org) = await OrgAsync(host);
        var other = await host.OrgAsync(owner, "other-org");
        await host.AccountAsync(owner, org, "Deploy Bot");

        // Act
        var result = await host.Accounts.CreateAsync(owner, other, new NewServiceAccount("Deploy Bot", null));

        // Assert
        result.Value!.Handle.Should().Be("deploy-bot-2");
    }

    [Theory]
    [InlineData("!!!")]
    [InlineData("x")]
    [InlineData("-")]
    [InlineData("日本語")]
    [InlineData("🤖 🤖")]
    public async Task CreateAsync_TitleWithoutUsableCharacters_GetsValidFallbackHandles(string title)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org) = await OrgAsync(host);

        // Act
        var first = CoreHost.Must(await host.Accounts.CreateAsync(owner, org, new NewServiceAccount(title, null)));
        var second = CoreHost.Must(await host.Accounts.CreateAsync(owner, org, new NewServiceAccount(title, null)));

        // Assert
        new[] { first.Handle, second.Handle }.Should().OnlyContain(h => HandlePattern.IsMatch(h)).And.OnlyHaveUniqueItems();
        first.Title.Should().Be(title);
    }

    [Fact]
    public async Task CreateAsync_VeryLongTitle_GetsShortValidHandles()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org) = await OrgAsync(host);
        var title = string.Join(" ", Enumerable.Repeat("Nightly Data Warehouse Export", 4))[..ServiceAccount.TitleMaxLength];

        // Act
        var handles = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            handles.Add(CoreHost.Must(await host.Accounts.CreateAsync(owner, org, new NewServiceAccount(title, null))).Handle);
        }

        // Assert
        handles.Should().OnlyContain(h => h.Length <= 39 && HandlePattern.IsMatch(h)).And.OnlyHaveUniqueItems();
        handles[0].Should().StartWith("nightly-data-warehouse-export");
        handles[11].Should().EndWith("-12");
    }

    [Fact]
    public async Task CreateAsync_TitleMatchingAUsersHandle_GetsAnotherHandle()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org) = await OrgAsync(host);
        var person = await host.UserAsync("deploy-bot");

        // Act
        var account = CoreHost.Must(await host.Accounts.CreateAsync(owner, org, new NewServiceAccount("Deploy Bot", null)));

        // Assert
        person.Handle.Should().Be("deploy-bot");
        account.Handle.Should().Be("deploy-bot-2");
    }

    [Fact]
    public async Task RegisterAsync_EmailMatchingAnAccountsHandle_GivesThePersonAnotherHandle()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org) = await OrgAsync(host);
        var account = CoreHost.Must(await host.Accounts.CreateAsync(owner, org, new NewServiceAccount("Deploy Bot", null)));

        // Act
        var person = await host.UserAsync("deploy-bot");

        // Assert
        account.Handle.Should().Be("deploy-bot");
        person.Handle.Should().Be("deploy-bot-2");
        await using var db = host.NewContext();
        (await db.HandleClaims.Where(c => c.Handle.StartsWith("deploy-bot")).ToDictionaryAsync(c => c.Handle, c => c.OwnerId))
            .Should().BeEquivalentTo(new Dictionary<string, string> { ["deploy-bot"] = account.Id, ["deploy-bot-2"] = person.Id! });
    }

    [Fact]
    public async Task CreateAsync_InEnterpriseOrg_IsInvalidPointingToTheTenant()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var owner = await host.UserAsync("ada");
        await host.EnterpriseTenantAsync(owner, "acme");
        var org = await host.EnterpriseOrgAsync(owner, "acme", "acme-platform");
        var before = await DatabaseSnapshot.TakeAsync(host);

        // Act
        var result = await host.Accounts.CreateAsync(owner, org, new NewServiceAccount("Deploy Bot", null));

        // Assert
        result.Status.Should().Be(ResultStatus.Invalid);
        result.Errors.Should().ContainKey("entity").WhoseValue.Should().Contain("acme");
        (await DatabaseSnapshot.TakeAsync(host)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task CreateAsync_InEnterpriseTenant_CreatesAccountBilledToTheTenant()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var owner = await host.UserAsync("ada");
        var tenant = await host.EnterpriseTenantAsync(owner, "acme");

        // Act
        var result = await host.Accounts.CreateAsync(owner, tenant, new NewServiceAccount("Deploy Bot", null));

        // Assert
        result.IsOk.Should().BeTrue(result.ToString());
        result.Value!.BillingEntity.Should().Be(tenant);
    }

    private static async Task<(Actor Owner, EntityRef Org)> OrgAsync(CoreHost host)
    {
        var owner = await host.UserAsync("ada");
        return (owner, await host.OrgAsync(owner, "sandbox"));
    }
}
