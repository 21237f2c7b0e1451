using Microsoft.Extensions.DependencyInjection;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Seed;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Audit;

/// <summary>The history generator: realistic records for one account, sealed onto its entity's chain.</summary>
public sealed class AuditHistoryGeneratorTests
{
    // More than one transaction of the generator (10,000), so the chain is carried from one to the next.
    private const int Count = 12_345;

    [Fact]
    public async Task GenerateAsync_ManyRecords_AppendsThemAndTheChainVerifies()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await AccountAsync(host);
        var before = await CountAsync(host, owner, org, handle);

        // Act
        var generated = CoreHost.Must(await Generator(host).GenerateAsync(Actor.System, org, handle, new AuditHistoryOptions(Count, TimeSpan.FromDays(30))));

        // Assert
        generated.Appended.Should().Be(Count);
        (generated.LastSequence - generated.FirstSequence + 1).Should().Be(Count);
        (await CountAsync(host, owner, org, handle)).Should().Be(before + Count);
        var verification = CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org));
        verification.IsIntact.Should().BeTrue(verification.FirstBreak?.Problem);
        verification.RecordsChecked.Should().Be((int)generated.LastSequence);
    }

    [Fact]
    public async Task GenerateAsync_Records_AppearInQueryNewestFirstWithRealisticContent()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await AccountAsync(host);
        await host.TokenActorAsync(owner, org, handle);
        await host.TokenActorAsync(owner, org, handle);

        // Act
        var generated = CoreHost.Must(await Generator(host).GenerateAsync(Actor.System, org, handle, new AuditHistoryOptions(5_000, TimeSpan.FromDays(7))));

        // Assert
        var page = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Limit: 100)));
        page.Items.Should().HaveCount(100);
        page.Items.Select(r => r.Id).Should().BeInDescendingOrder();
        page.Items.Select(r => r.CreatedAt).Should().BeInDescendingOrder();
        page.Items[0].CreatedAt.Should().Be(generated.To).And.BeOnOrBefore(host.Clock.UtcNow);
        page.Items.Should().OnlyContain(r => r.IdentityHandle == handle);
        var all = new List<AuditRecordView>();
        await foreach (var record in CoreHost.Must(await host.Audit.ExportAsync(owner, org, handle, new AuditQuery())))
        {
            if (record.Sequence >= generated.FirstSequence)
            {
                all.Add(record);
            }
        }
        all.Should().HaveCount(5_000);
        all.Count(r => r.ActionType == AuditActions.ApiRequest).Should().BeGreaterThan(4_800);
        all.Select(r => r.ActionType).Distinct().Should().Contain([AuditActions.TokenAuthFailed, AuditActions.ServiceAccountUpdate]);
        var tokens = CoreHost.Must(await host.Tokens.ListAsync(owner, org, handle)).Select(t => t.Id).ToList();
        all.Where(r => r.ActionType == AuditActions.ApiRequest).Select(r => r.TokenId).Distinct().Should().BeEquivalentTo(tokens);
        all.Select(r => r.ActorIp).Distinct().Should().HaveCountGreaterThan(3);
        all.Select(r => r.Data).Distinct().Should().HaveCountGreaterThan(10);
    }

    [Fact]
    public async Task GenerateAsync_NotTheSystem_IsForbiddenAndWritesNothing()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await AccountAsync(host);
        var before = await CountAsync(host, owner, org, handle);

        // Act
        var result = await Generator(host).GenerateAsync(owner, org, handle, new AuditHistoryOptions(10));

        // Assert
        result.Status.Should().Be(ResultStatus.Forbidden);
        (await CountAsync(host, owner, org, handle)).Should().Be(before);
    }

    [Fact]
    public async Task GenerateAsync_UnknownAccount_IsNotFound()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (_, org, _) = await AccountAsync(host);

        // Act
        var result = await Generator(host).GenerateAsync(Actor.System, org, "nobody", new AuditHistoryOptions(10));

        // Assert
        result.Status.Should().Be(ResultStatus.NotFound);
    }

    private static AuditHistoryGenerator Generator(CoreHost host) => ActivatorUtilities.CreateInstance<AuditHistoryGenerator>(host.Services);

    private static async Task<(Actor Owner, EntityRef Org, string Handle)> AccountAsync(CoreHost host)
    {
        var owner = await host.UserAsync("gen-owner");
        var org = await host.OrgAsync(owner, "gen-org");
        var account = await host.AccountAsync(owner, org, "Generated History");
        return (owner, org, account.Handle);
    }

    private static async Task<int> CountAsync(CoreHost host, Actor owner, EntityRef org, string handle)
    {
        var count = 0;
        await foreach (var _ in CoreHost.Must(await host.Audit.ExportAsync(owner, org, handle, new AuditQuery())))
        {
            count++;
        }
        return count;
    }
}
