using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core;

public sealed class DemoSeedTests
{
    [Fact]
    public async Task Seed_OnEmptyDatabase_CreatesDemoDataWhoseChainsVerify()
    {
        await using var host = await CoreHost.StartAsync(demo: true);
        await using var db = host.NewContext();
        var ada = (await host.Services.GetUserActorAsync("owner@example.com"))!;

        var sandbox = CoreHost.Must(await host.Accounts.ListAsync(ada, EntityRef.Org("sandbox")));
        sandbox.Select(a => (a.Handle, a.Role, a.TokenCount)).Should().BeEquivalentTo(new[] { ("ci-deployer", Role.Member, 1), ("terraform-runner", Role.Owner, 1) });
        var acme = CoreHost.Must(await host.Accounts.ListAsync(ada, EntityRef.Tenant("acme")));
        acme.Should().ContainSingle(a => a.Handle == "metrics-exporter" && a.TokenCount == 2);
        foreach (var entity in new[] { EntityRef.Org("sandbox"), EntityRef.Tenant("acme") })
        {
            var verification = CoreHost.Must(await host.Audit.VerifyChainAsync(ada, entity));
            verification.IsIntact.Should().BeTrue(verification.FirstBreak?.Problem);
            verification.RecordsChecked.Should().BeGreaterThan(20);
        }
        var page = CoreHost.Must(await host.Audit.QueryAsync(ada, EntityRef.Org("sandbox"), "ci-deployer", new AuditQuery(Limit: 100)));
        page.Items.Select(r => r.ActionType).Should().Contain([AuditActions.ServiceAccountCreate, AuditActions.TokenCreate, AuditActions.ApiRequest, AuditActions.TokenAuthFailed]);
    }
}
