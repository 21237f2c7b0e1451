using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Audit;

/// <summary>Rule 8: a change and its audit record are saved together, or neither is.</summary>
public sealed class AtomicityTests
{
    [Fact]
    public async Task CreateServiceAccount_AuditWriteFails_LeavesNothingBehind()
    {
        // Arrange
        var failure = new FailingAuditInsert();
        await using var host = await CoreHost.StartAsync(o => o.AddInterceptors(failure));
        var (owner, org, _, _) = await SetupAsync(host);
        var before = await DatabaseSnapshot.TakeAsync(host);
        failure.Armed = true;

        // Act
        var thrown = await Record.ExceptionAsync(() => host.Accounts.CreateAsync(owner, org, new NewServiceAccount("Second Bot", "never saved")));

        // Assert
        AssertInjected(thrown, failure);
        (await DatabaseSnapshot.TakeAsync(host)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task UpdateServiceAccount_AuditWriteFails_LeavesNothingBehind()
    {
        // Arrange
        var failure = new FailingAuditInsert();
        await using var host = await CoreHost.StartAsync(o => o.AddInterceptors(failure));
        var (owner, org, account, _) = await SetupAsync(host);
        var before = await DatabaseSnapshot.TakeAsync(host);
        failure.Armed = true;

        // Act
        var thrown = await Record.ExceptionAsync(() => host.Accounts.UpdateAsync(owner, org, account.Handle, new ServiceAccountChanges("Renamed Bot", "changed"), account.Version));

        // Assert
        AssertInjected(thrown, failure);
        (await DatabaseSnapshot.TakeAsync(host)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task DeleteServiceAccount_AuditWriteFails_LeavesNothingBehind()
    {
        // Arrange
        var failure = new FailingAuditInsert();
        await using var host = await CoreHost.StartAsync(o => o.AddInterceptors(failure));
        var (owner, org, account, _) = await SetupAsync(host);
        var before = await DatabaseSnapshot.TakeAsync(host);
        failure.Armed = true;

        // Act
        var thrown = await Record.ExceptionAsync(() => host.Accounts.DeleteAsync(owner, org, account.Handle));

        // Assert
        AssertInjected(thrown, failure);
        (await DatabaseSnapshot.TakeAsync(host)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task CreateToken_AuditWriteFails_LeavesNothingBehind()
    {
        // Arrange
        var failure = new FailingAuditInsert();
        await using var host = await CoreHost.StartAsync(o => o.AddInterceptors(failure));
        var (owner, org, account, _) = await SetupAsync(host);
        var before = await DatabaseSnapshot.TakeAsync(host);
        failure.Armed = true;

        // Act
        var thrown = await Record.ExceptionAsync(() => host.Tokens.CreateAsync(owner, org, account.Handle, new NewToken("never saved", TokenExpiration.AfterDays(7))));

        // Assert
        AssertInjected(thrown, failure);
        (await DatabaseSnapshot.TakeAsync(host)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task DeactivateToken_AuditWriteFails_LeavesNothingBehind()
    {
        // Arrange
        var failure = new FailingAuditInsert();
        await using var host = await CoreHost.StartAsync(o => o.AddInterceptors(failure));
        var (owner, org, account, token) = await SetupAsync(host);
        var before = await DatabaseSnapshot.TakeAsync(host);
        failure.Armed = true;

        // Act
        var thrown = await Record.ExceptionAsync(() => host.Tokens.DeactivateAsync(owner, org, account.Handle, token.Token.Id));

        // Assert
        AssertInjected(thrown, failure);
        (await DatabaseSnapshot.TakeAsync(host)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task DeleteToken_AuditWriteFails_LeavesNothingBehind()
    {
        // Arrange
        var failure = new FailingAuditInsert();
        await using var host = await CoreHost.StartAsync(o => o.AddInterceptors(failure));
        var (owner, org, account, token) = await SetupAsync(host);
        var before = await DatabaseSnapshot.TakeAsync(host);
        failure.Armed = true;

        // Act
        var thrown = await Record.ExceptionAsync(() => host.Tokens.DeleteAsync(owner, org, account.Handle, token.Token.Id));

        // Assert
        AssertInjected(thrown, failure);
        (await DatabaseSnapshot.TakeAsync(host)).Should().BeEquivalentTo(before);
        (await host.Authenticator.AuthenticateAsync(token.Secret)).Succeeded.Should().BeTrue("the token was not deleted");
    }

    [Fact]
    public async Task UpdateAuthenticationSettings_AuditWriteFails_LeavesSettingsUnchanged()
    {
        // Arrange
        var failure = new FailingAuditInsert();
        await using var host = await CoreHost.StartAsync(o => o.AddInterceptors(failure));
        var owner = await host.UserAsync("ada");
        var tenant = await host.EnterpriseTenantAsync(owner, "enterprise");
        var before = CoreHost.Must(await host.Tenancy.GetAuthenticationSettingsAsync(owner, tenant.Handle));
        failure.Armed = true;

        // Act
        var thrown = await Record.ExceptionAsync(() => host.Tenancy.UpdateAuthenticationSettingsAsync(owner, tenant.Handle, 90, before.SessionTimeoutDays, before.Version));

        // Assert
        AssertInjected(thrown, failure);
        failure.Armed = false;
        CoreHost.Must(await host.Tenancy.GetAuthenticationSettingsAsync(owner, tenant.Handle)).Should().Be(before);
    }

    private static void AssertInjected(Exception? thrown, FailingAuditInsert failure)
    {
        failure.Failures.Should().Be(1, "the audit insert must have been attempted, and stopped, once");
        thrown.Should().NotBeNull("a failed audit write must fail the operation");
        var chain = new List<Exception>();
        for (var e = thrown; e is not null; e = e.InnerException)
        {
            chain.Add(e);
        }
        chain.Should().Contain(e => e is InjectedAuditFailure);
    }

    private static async Task<(Actor Owner, EntityRef Org, ServiceAccountView Account, CreatedToken Token)> SetupAsync(CoreHost host)
    {
        var owner = await host.UserAsync("ada");
        var org = await host.OrgAsync(owner, "atomic");
        var account = await host.AccountAsync(owner, org, "Deploy Bot");
        var token = CoreHost.Must(await host.Tokens.CreateAsync(owner, org, account.Handle, new NewToken("ci", TokenExpiration.AfterDays(30))));
        return (owner, org, account, token);
    }
}
