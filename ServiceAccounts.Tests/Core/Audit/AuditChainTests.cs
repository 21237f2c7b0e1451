using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Audit;

/// <summary>The per-entity hash chain: any edit, deletion or reordering of records is detectable.</summary>
public sealed class AuditChainTests
{
    [Fact]
    public async Task Records_OfOneEntity_AreNumberedAndChainedInOrder()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();

        // Act
        var (_, _, entityId) = await HistoryAsync(host);

        // Assert
        var records = await RecordsAsync(host, entityId);
        records.Select(r => r.Sequence).Should().Equal(Enumerable.Range(1, records.Count).Select(i => (long)i));
        records.Select(r => r.Id).Should().BeInAscendingOrder();
        records[0].PrevHash.Should().Be(AuditRecord.GenesisHash);
        for (var i = 1; i < records.Count; i++)
        {
            records[i].PrevHash.Should().Be(records[i - 1].Hash, $"record #{records[i].Sequence} follows #{records[i - 1].Sequence}");
        }
        records.Should().OnlyContain(r => r.Hash == r.ComputeHash());
    }

    [Fact]
    public async Task Records_OfTwoEntities_FormSeparateChains()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var owner = await host.UserAsync("ada");
        var first = await host.OrgAsync(owner, "first-org");
        var second = await host.OrgAsync(owner, "second-org");

        // Act: interleave the two entities' events.
        await host.AccountAsync(owner, first, "One");
        await host.AccountAsync(owner, second, "Two");
        await host.AccountAsync(owner, first, "Three");

        // Assert
        await using var db = host.NewContext();
        var sequences = await db.AuditRecords.AsNoTracking().OrderBy(r => r.Id).Select(r => new { r.TargetHandle, r.Sequence }).ToListAsync();
        sequences.Select(s => (s.TargetHandle, s.Sequence)).Should().Equal(("one", 1L), ("two", 1L), ("three", 2L));
    }

    [Theory]
    [InlineData("UPDATE \"AuditRecords\" SET \"Data\" = '{}' WHERE \"Id\" = $id")]
    [InlineData("DELETE FROM \"AuditRecords\" WHERE \"Id\" = $id")]
    public async Task Database_UpdateOrDeleteOfAnAuditRecord_IsRefused(string sql)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (_, _, entityId) = await HistoryAsync(host);
        var before = await RecordsAsync(host, entityId);

        // Act
        var tamper = () => RawDatabase.ExecuteAsync(host.DatabasePath, sql, ("$id", before[1].Id));

        // Assert
        (await tamper.Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>()).Which.Message.Should().Contain("append-only");
        (await RecordsAsync(host, entityId)).Select(r => (r.Id, r.Data, r.Hash)).Should().Equal(before.Select(r => (r.Id, r.Data, r.Hash)));
    }

    [Fact]
    public async Task VerifyChainAsync_UntouchedHistory_IsIntact()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, entityId) = await HistoryAsync(host);
        var count = (await RecordsAsync(host, entityId)).Count;

        // Act
        var verification = CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org));

        // Assert
        verification.IsIntact.Should().BeTrue(verification.FirstBreak?.Problem);
        verification.RecordsChecked.Should().Be(count);
    }

    [Fact]
    public async Task VerifyChainAsync_RecordDataEdited_ReportsThatRecordAsModified()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, entityId) = await HistoryAsync(host);
        var target = (await RecordsAsync(host, entityId))[2];
        await RawDatabase.DisableAppendOnlyAsync(host.DatabasePath);
        await RawDatabase.ExecuteAsync(host.DatabasePath, "UPDATE \"AuditRecords\" SET \"Data\" = '{\"title\":\"forged\"}' WHERE \"Id\" = $id", ("$id", target.Id));

        // Act
        var verification = CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org));

        // Assert
        verification.IsIntact.Should().BeFalse();
        verification.FirstBreak!.RecordId.Should().Be(target.Id);
        verification.FirstBreak.Problem.Should().Contain("modified");
        verification.RecordsChecked.Should().Be(2);
    }

    [Fact]
    public async Task VerifyChainAsync_RecordEditedAndRehashed_ReportsTheRecordAfterIt()
    {
        // Arrange: a tamperer who also recomputes the edited record's own hash.
        await using var host = await CoreHost.StartAsync();
        var (owner, org, entityId) = await HistoryAsync(host);
        var records = await RecordsAsync(host, entityId);
        await RawDatabase.DisableAppendOnlyAsync(host.DatabasePath);
        await using (var db = host.NewContext())
        {
            var target = await db.AuditRecords.SingleAsync(r => r.Id == records[2].Id);
            db.Entry(target).Property(r => r.Data).CurrentValue = "{\"title\":\"forged\"}";
            db.Entry(target).Property(r => r.Hash).CurrentValue = target.ComputeHash();
            await db.SaveChangesAsync();
        }

        // Act
        var verification = CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org));

        // Assert
        verification.FirstBreak.Should().NotBeNull();
        verification.FirstBreak!.RecordId.Should().Be(records[3].Id);
    }

    [Fact]
    public async Task VerifyChainAsync_MiddleRecordDeleted_ReportsTheRecordAfterTheGap()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, entityId) = await HistoryAsync(host);
        var records = await RecordsAsync(host, entityId);
        await RawDatabase.DisableAppendOnlyAsync(host.DatabasePath);
        await RawDatabase.ExecuteAsync(host.DatabasePath, "DELETE FROM \"AuditRecords\" WHERE \"Id\" = $id", ("$id", records[2].Id));

        // Act
        var verification = CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org));

        // Assert
        verification.IsIntact.Should().BeFalse();
        verification.FirstBreak!.RecordId.Should().Be(records[3].Id);
        verification.RecordsChecked.Should().Be(2);
    }

    [Fact]
    public async Task VerifyChainAsync_LatestRecordsDeleted_ReportsTheCutEnd()
    {
        // Arrange: cutting records off the end leaves a chain consistent in itself; only the head knows.
        await using var host = await CoreHost.StartAsync();
        var (owner, org, entityId) = await HistoryAsync(host);
        var records = await RecordsAsync(host, entityId);
        await RawDatabase.DisableAppendOnlyAsync(host.DatabasePath);
        await RawDatabase.ExecuteAsync(host.DatabasePath, "DELETE FROM \"AuditRecords\" WHERE \"Id\" >= $id", ("$id", records[^2].Id));

        // Act
        var verification = CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org));

        // Assert
        verification.IsIntact.Should().BeFalse();
        verification.FirstBreak!.Problem.Should().Contain("removed");
        verification.RecordsChecked.Should().Be(records.Count - 2);
    }

    [Fact]
    public async Task VerifyChainAsync_TwoRecordsSwapped_ReportsTheReorder()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, entityId) = await HistoryAsync(host);
        var records = await RecordsAsync(host, entityId);
        var (a, b) = (records[2], records[3]);
        await RawDatabase.DisableAppendOnlyAsync(host.DatabasePath);
        await using (var connection = await RawDatabase.OpenAsync(host.DatabasePath))
        {
            // A temporary sequence dodges the (EntityId, Sequence) unique index.
            const string move = "UPDATE \"AuditRecords\" SET \"Sequence\" = $sequence WHERE \"Id\" = $id";
            await RawDatabase.ExecuteAsync(connection, move, ("$sequence", -1L), ("$id", a.Id));
            await RawDatabase.ExecuteAsync(connection, move, ("$sequence", a.Sequence), ("$id", b.Id));
            await RawDatabase.ExecuteAsync(connection, move, ("$sequence", b.Sequence), ("$id", a.Id));
        }

        // Act
        var verification = CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org));

        // Assert: the walk meets b where a should be.
        verification.IsIntact.Should().BeFalse();
        verification.FirstBreak!.RecordId.Should().Be(b.Id);
        verification.FirstBreak.Sequence.Should().Be(a.Sequence);
    }

    [Fact]
    public async Task UpdateAsync_TitleChanged_RecordsTitleBeforeAndAfter()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var owner = await host.UserAsync("ada");
        var org = await host.OrgAsync(owner, "audit-org");
        var account = await host.AccountAsync(owner, org, "Deploy Bot");

        // Act
        CoreHost.Must(await host.Accounts.UpdateAsync(owner, org, account.Handle, new ServiceAccountChanges("Release Bot", null), account.Version));

        // Assert
        await using var db = host.NewContext();
        var record = await db.AuditRecords.AsNoTracking().SingleAsync(r => r.ActionType == AuditActions.ServiceAccountUpdate);
        record.IdentityId.Should().Be(account.Id);
        record.ActorHandle.Should().Be(owner.Handle);
        var title = JsonDocument.Parse(record.Data).RootElement.GetProperty("title");
        title.GetProperty("before").GetString().Should().Be("Deploy Bot");
        title.GetProperty("after").GetString().Should().Be("Release Bot");
        JsonDocument.Parse(record.Data).RootElement.TryGetProperty("description", out _).Should().BeFalse("the description did not change");
    }

    [Fact]
    public async Task UpdateAsync_NothingChanged_WritesNoRecord()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var owner = await host.UserAsync("ada");
        var org = await host.OrgAsync(owner, "audit-org");
        var account = await host.AccountAsync(owner, org, "Deploy Bot");

        // Act
        var result = await host.Accounts.UpdateAsync(owner, org, account.Handle, new ServiceAccountChanges("Deploy Bot", ""), account.Version);

        // Assert
        result.Value!.Version.Should().Be(account.Version);
        await using var db = host.NewContext();
        (await db.AuditRecords.CountAsync(r => r.ActionType == AuditActions.ServiceAccountUpdate)).Should().Be(0);
    }

    /// <summary>A Team org with a few weeks of ordinary history: six records in its chain.</summary>
    private static async Task<(Actor Owner, EntityRef Org, string EntityId)> HistoryAsync(CoreHost host)
    {
        var owner = await host.UserAsync("ada");
        var org = await host.OrgAsync(owner, "audit-org");
        var account = await host.AccountAsync(owner, org, "Deploy Bot");
        host.Clock.Advance(TimeSpan.FromDays(1));
        var updated = CoreHost.Must(await host.Accounts.UpdateAsync(owner, org, account.Handle, new ServiceAccountChanges("Release Bot", "ships things"), account.Version));
        host.Clock.Advance(TimeSpan.FromDays(1));
        var token = CoreHost.Must(await host.Tokens.CreateAsync(owner, org, updated.Handle, new NewToken("ci", TokenExpiration.AfterDays(90))));
        host.Clock.Advance(TimeSpan.FromDays(1));
        CoreHost.Must(await host.Tokens.DeactivateAsync(owner, org, updated.Handle, token.Token.Id));
        host.Clock.Advance(TimeSpan.FromDays(1));
        CoreHost.Must(await host.Tokens.ActivateAsync(owner, org, updated.Handle, token.Token.Id));
        host.Clock.Advance(TimeSpan.FromDays(1));
        CoreHost.Must(await host.Tokens.DeleteAsync(owner, org, updated.Handle, token.Token.Id));
        await using var db = host.NewContext();
        var entityId = await db.Orgs.Where(o => o.Handle == org.Handle).Select(o => o.Id).SingleAsync();
        return (owner, org, entityId);
    }

    private static async Task<List<AuditRecord>> RecordsAsync(CoreHost host, string entityId)
    {
        await using var db = host.NewContext();
        var records = await db.AuditRecords.AsNoTracking().Where(r => r.EntityId == entityId).OrderBy(r => r.Sequence).ToListAsync();
        records.Should().HaveCount(6, "the history has six events");
        return records;
    }
}
