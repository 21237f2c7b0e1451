using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Audit;

/// <summary>Export of an audit log, and what support staff leave behind when they look (rule 7).</summary>
public sealed class AuditExportTests
{
    [Fact]
    public async Task ExportAsync_MoreRecordsThanOneBatch_StreamsTheSameRecordsAsTheQuery()
    {
        // Arrange: more records than one export batch (1,000).
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await AccountAsync(host);
        var actor = (await host.TokenActorAsync(owner, org, handle)).Actor;
        await using (var db = host.NewContext())
        {
            // The batch writer the API's recorder uses: 1,100 chained records in one transaction.
            var records = Enumerable.Range(0, 1_100).Select(_ => AuditRecord.Create(actor.BillingEntityId!, AuditActions.ApiRequest, actor, host.Clock.UtcNow,
                new AuditSubject(actor.Id, actor.Handle, TokenId: actor.TokenId), new { method = "GET", path = "/api/v0/actor", status = 200 })).ToList();
            await AuditBatchWriter.AppendAsync(db, records, CancellationToken.None);
        }
        var queried = new List<long>();
        string? cursor = null;
        do
        {
            var page = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Limit: 100, Cursor: cursor)));
            queried.AddRange(page.Items.Select(r => r.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        // Act
        var exported = new List<long>();
        await foreach (var record in CoreHost.Must(await host.Audit.ExportAsync(owner, org, handle, new AuditQuery())))
        {
            exported.Add(record.Id);
        }

        // Assert
        exported.Should().HaveCountGreaterThan(1_100).And.Equal(queried);
        CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org)).IsIntact.Should().BeTrue("the batch writer chains like every other write");
    }

    [Fact]
    public async Task ExportAsync_Filtered_HoldsOnlyTheFilteredRecords()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await AccountAsync(host);

        // Act
        var exported = new List<AuditRecordView>();
        await foreach (var record in CoreHost.Must(await host.Audit.ExportAsync(owner, org, handle, new AuditQuery(Actions: [AuditActions.TokenCreate]))))
        {
            exported.Add(record);
        }

        // Assert
        exported.Should().NotBeEmpty().And.OnlyContain(r => r.ActionType == AuditActions.TokenCreate);
    }

    [Fact]
    public async Task ExportAsync_BySupport_WritesAnExportRecordEachTime()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await AccountAsync(host);
        var support = await host.UserAsync("sam", support: true);

        // Act
        await CoreHost.Must(await host.Audit.ExportAsync(support, org, handle, new AuditQuery())).ToListAsync();
        await CoreHost.Must(await host.Audit.ExportAsync(support, org, handle, new AuditQuery())).ToListAsync();

        // Assert
        var page = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Actions: [AuditActions.SupportAuditLogExport])));
        page.Items.Should().HaveCount(2).And.OnlyContain(r => r.ActorId == support.Id);
    }

    [Fact]
    public async Task ExportAsync_MemberOfTheEntity_IsForbiddenAndStreamsNothing()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await AccountAsync(host);
        var member = await host.UserAsync("max");
        await host.AddMemberAsync(org, member);

        // Act
        var result = await host.Audit.ExportAsync(member, org, handle, new AuditQuery());

        // Assert
        result.Status.Should().Be(ResultStatus.Forbidden);
    }

    [Fact]
    public async Task QueryAsync_SupportOpensTwiceWithinAnHour_IsRecordedOnceThenAgainAfterAnHour()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await AccountAsync(host);
        var support = await host.UserAsync("sam", support: true);

        // Act
        CoreHost.Must(await host.Audit.QueryAsync(support, org, handle, new AuditQuery()));
        host.Clock.Advance(TimeSpan.FromMinutes(59));
        CoreHost.Must(await host.Audit.QueryAsync(support, org, handle, new AuditQuery()));
        var afterTwo = await ViewsAsync(host, owner, org, handle);
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        CoreHost.Must(await host.Audit.QueryAsync(support, org, handle, new AuditQuery()));

        // Assert
        afterTwo.Should().Be(1);
        (await ViewsAsync(host, owner, org, handle)).Should().Be(2);
    }

    [Fact]
    public async Task QueryAsync_TextFilter_MatchesTargetActorOrToken()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await AccountAsync(host);

        // Act
        var byActor = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Text: owner.Handle![..3])));
        var nothing = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Text: "no-such-thing")));

        // Assert
        byActor.Items.Should().NotBeEmpty();
        nothing.Items.Should().BeEmpty();
    }

    private static async Task<int> ViewsAsync(CoreHost host, ServiceAccounts.Core.Security.Actor owner, EntityRef org, string handle) =>
        CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Actions: [AuditActions.SupportAuditLogView]))).Items.Count;

    private static async Task<(ServiceAccounts.Core.Security.Actor Owner, EntityRef Org, string Handle)> AccountAsync(CoreHost host)
    {
        var owner = await host.UserAsync("ada");
        var org = await host.OrgAsync(owner, "export-org");
        var account = await host.AccountAsync(owner, org, "Exporter");
        CoreHost.Must(await host.Tokens.CreateAsync(owner, org, account.Handle, new ServiceAccounts.Core.Tokens.NewToken("t", ServiceAccounts.Core.Tokens.TokenExpiration.AfterDays(7))));
        return (owner, org, account.Handle);
    }
}
