using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.Core.Audit;
using ServiceAccounts.Tests.TestSupport;

// Not "…Core.ServiceAccounts": a namespace of that name would shadow ServiceAccounts.Core.* in every sibling test namespace.
namespace ServiceAccounts.Tests.Core.Accounts;

/// <summary>Updating (optimistic concurrency) and deleting a service account.</summary>
public sealed class ServiceAccountChangeTests
{
    [Fact]
    public async Task UpdateAsync_CurrentVersion_SavesAndBumpsTheVersion()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, account) = await AccountAsync(host);
        host.Clock.Advance(TimeSpan.FromMinutes(10));

        // Act
        var result = await host.Accounts.UpdateAsync(owner, org, account.Handle, new ServiceAccountChanges("Release Bot", "ships releases"), account.Version);

        // Assert
        result.IsOk.Should().BeTrue(result.ToString());
        result.Value!.Should().Match<ServiceAccountView>(v =>
            v.Title == "Release Bot" && v.Description == "ships releases" && v.Version == account.Version + 1
            && v.UpdatedAt == host.Clock.UtcNow && v.Handle == account.Handle);
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_ConflictsAndChangesNothing()
    {
        // Arrange: someone else saved first.
        await using var host = await CoreHost.StartAsync();
        var (owner, org, account) = await AccountAsync(host);
        CoreHost.Must(await host.Accounts.UpdateAsync(owner, org, account.Handle, new ServiceAccountChanges("Their Title", null), account.Version));
        var before = await DatabaseSnapshot.TakeAsync(host);

        // Act
        var result = await host.Accounts.UpdateAsync(owner, org, account.Handle, new ServiceAccountChanges("My Title", "mine"), account.Version);

        // Assert
        result.Status.Should().Be(ResultStatus.Conflict);
        result.ConflictReason.Should().Be(ConflictReason.StaleVersion);
        result.Message.Should().Contain("changed by someone else");
        (await DatabaseSnapshot.TakeAsync(host)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task UpdateAsync_InvalidTitle_IsInvalidAndChangesNothing()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, account) = await AccountAsync(host);
        var before = await DatabaseSnapshot.TakeAsync(host);

        // Act
        var result = await host.Accounts.UpdateAsync(owner, org, account.Handle, new ServiceAccountChanges("   ", null), account.Version);

        // Assert
        result.Status.Should().Be(ResultStatus.Invalid);
        result.Errors.Should().ContainKey("title");
        (await DatabaseSnapshot.TakeAsync(host)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task DeleteAsync_Account_RemovesItsTokensAndMemberships()
    {
        // Arrange: a tenant account with two tokens, also a member of an org of the tenant.
        await using var host = await CoreHost.StartAsync();
        var owner = await host.UserAsync("ada");
        var tenant = await host.EnterpriseTenantAsync(owner, "acme");
        var org = await host.EnterpriseOrgAsync(owner, "acme", "acme-platform");
        var account = await host.AccountAsync(owner, tenant, "Metrics Exporter");
        var (actor, _) = await host.TokenActorAsync(owner, tenant, account.Handle);
        CoreHost.Must(await host.Tokens.CreateAsync(owner, tenant, account.Handle, new NewToken("second", TokenExpiration.AfterDays(7))));
        await host.AddMemberAsync(org, actor);
        var survivor = await host.AccountAsync(owner, tenant, "Survivor");

        // Act
        var result = await host.Accounts.DeleteAsync(owner, tenant, account.Handle);

        // Assert
        result.IsOk.Should().BeTrue(result.ToString());
        await using var db = host.NewContext();
        (await db.ServiceAccounts.AnyAsync(s => s.Id == account.Id)).Should().BeFalse();
        (await db.ApiTokens.CountAsync(t => t.ServiceAccountId == account.Id)).Should().Be(0);
        (await db.Memberships.CountAsync(m => m.ServiceAccountId == account.Id)).Should().Be(0);
        (await db.Memberships.CountAsync(m => m.ServiceAccountId == survivor.Id)).Should().Be(1);
        (await host.Accounts.GetAsync(owner, tenant, account.Handle)).Status.Should().Be(ResultStatus.NotFound);
    }

    [Fact]
    public async Task DeleteAsync_Account_KeepsItsAuditHistory()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, account) = await AccountAsync(host);
        var token = CoreHost.Must(await host.Tokens.CreateAsync(owner, org, account.Handle, new NewToken("ci", TokenExpiration.AfterDays(7))));

        // Act
        CoreHost.Must(await host.Accounts.DeleteAsync(owner, org, account.Handle));

        // Assert
        await using var db = host.NewContext();
        var history = await db.AuditRecords.AsNoTracking().Where(r => r.IdentityId == account.Id).OrderBy(r => r.Sequence).ToListAsync();
        history.Select(r => r.ActionType).Should().Equal(AuditActions.ServiceAccountCreate, AuditActions.TokenCreate, AuditActions.ServiceAccountDelete);
        history[^1].Data.Should().Contain(token.Token.Id).And.Contain(account.Handle);
        CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org)).IsIntact.Should().BeTrue();
    }

    [Fact]
    public async Task DeleteAsync_Account_FreesItsHandle()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, account) = await AccountAsync(host);

        // Act
        CoreHost.Must(await host.Accounts.DeleteAsync(owner, org, account.Handle));

        // Assert
        var again = CoreHost.Must(await host.Accounts.CreateAsync(owner, org, new NewServiceAccount("Deploy Bot", null)));
        again.Handle.Should().Be(account.Handle);
        again.Id.Should().NotBe(account.Id);
    }

    [Fact]
    public async Task DeleteAsync_Account_ItsTokensNoLongerAuthenticate()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, account) = await AccountAsync(host);
        var (_, token) = await host.TokenActorAsync(owner, org, account.Handle);

        // Act
        CoreHost.Must(await host.Accounts.DeleteAsync(owner, org, account.Handle));

        // Assert
        var result = await host.Authenticator.AuthenticateAsync(token.Secret);
        result.Succeeded.Should().BeFalse();
        result.Refusal.Should().Be(TokenRefusal.Unknown);
    }

    [Fact]
    public async Task DeleteAsync_StaleVersion_ConflictsAndDeletesNothing()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, account) = await AccountAsync(host);
        CoreHost.Must(await host.Accounts.UpdateAsync(owner, org, account.Handle, new ServiceAccountChanges("Renamed", null), account.Version));
        var before = await DatabaseSnapshot.TakeAsync(host);

        // Act
        var result = await host.Accounts.DeleteAsync(owner, org, account.Handle, account.Version);

        // Assert
        result.Status.Should().Be(ResultStatus.Conflict);
        result.ConflictReason.Should().Be(ConflictReason.StaleVersion);
        (await DatabaseSnapshot.TakeAsync(host)).Should().BeEquivalentTo(before);
    }

    private static async Task<(Actor Owner, EntityRef Org, ServiceAccountView Account)> AccountAsync(CoreHost host)
    {
        var owner = await host.UserAsync("ada");
        var org = await host.OrgAsync(owner, "sandbox");
        return (owner, org, await host.AccountAsync(owner, org, "Deploy Bot"));
    }
}
