using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Audit;

/// <summary>
/// ChainCheck.Recent, the console's status line: it extends a recent full walk instead of reading every record again,
/// and still finds what was done to the records written since, to the record it resumes from, and (after
/// <see cref="AuditLog.FullWalkInterval"/>) to anything.
/// </summary>
public sealed class ChainCheckTests
{
    [Fact]
    public async Task Recent_AfterNewRecords_CountsThemAndStaysIntact()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, account) = await HistoryAsync(host);
        var first = CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org, ChainCheck.Recent));
        await UpdateAsync(host, owner, org, account, "later");

        // Act
        var second = CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org, ChainCheck.Recent));

        // Assert
        first.IsIntact.Should().BeTrue();
        second.IsIntact.Should().BeTrue(second.FirstBreak?.Problem);
        second.RecordsChecked.Should().Be(first.RecordsChecked + 1);
        second.RecordsChecked.Should().Be(CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org)).RecordsChecked);
    }

    [Fact]
    public async Task Recent_NewRecordEditedAfterTheCheckpoint_ReportsIt()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, account) = await HistoryAsync(host);
        CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org, ChainCheck.Recent));
        await UpdateAsync(host, owner, org, account, "later");
        await UpdateAsync(host, owner, org, account, "even later");
        var newest = await NewestIdAsync(host);
        await TamperAsync(host, "UPDATE \"AuditRecords\" SET \"Data\" = '{}' WHERE \"Id\" = $id", newest);

        // Act
        var verification = CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org, ChainCheck.Recent));

        // Assert
        verification.FirstBreak!.RecordId.Should().Be(newest);
        verification.FirstBreak.Problem.Should().Contain("modified");
    }

    [Fact]
    public async Task Recent_RecordItResumesFromEdited_WalksFromTheStartAndReportsIt()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, _) = await HistoryAsync(host);
        CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org, ChainCheck.Recent));
        var last = await NewestIdAsync(host);
        await TamperAsync(host, "UPDATE \"AuditRecords\" SET \"ActorIp\" = '10.6.6.6' WHERE \"Id\" = $id", last);

        // Act
        var verification = CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org, ChainCheck.Recent));

        // Assert
        verification.FirstBreak!.RecordId.Should().Be(last);
    }

    [Fact]
    public async Task Recent_OldRecordEdited_IsReportedOnceTheFullWalkIsDue()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, _) = await HistoryAsync(host);
        CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org, ChainCheck.Recent));
        var oldest = await OldestIdAsync(host);
        await TamperAsync(host, "UPDATE \"AuditRecords\" SET \"Data\" = '{}' WHERE \"Id\" = $id", oldest);
        host.Clock.Advance(AuditLog.FullWalkInterval);

        // Act
        var verification = CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org, ChainCheck.Recent));

        // Assert
        verification.FirstBreak!.RecordId.Should().Be(oldest);
    }

    [Fact]
    public async Task Full_OldRecordEditedRightAfterACheckpoint_IsReported()
    {
        // Arrange: the checkpoint only ever shortens Recent; Full (the API, the verify command) reads everything.
        await using var host = await CoreHost.StartAsync();
        var (owner, org, _) = await HistoryAsync(host);
        CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org, ChainCheck.Recent));
        var oldest = await OldestIdAsync(host);
        await TamperAsync(host, "UPDATE \"AuditRecords\" SET \"Data\" = '{}' WHERE \"Id\" = $id", oldest);

        // Act
        var verification = CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org, ChainCheck.Full));

        // Assert
        verification.FirstBreak!.RecordId.Should().Be(oldest);
    }

    [Fact]
    public async Task Recent_LatestRecordsCutOff_ReportsTheCutEnd()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, account) = await HistoryAsync(host);
        CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org, ChainCheck.Recent));
        await UpdateAsync(host, owner, org, account, "later");
        var newest = await NewestIdAsync(host);
        await TamperAsync(host, "DELETE FROM \"AuditRecords\" WHERE \"Id\" = $id", newest);

        // Act
        var verification = CoreHost.Must(await host.Audit.VerifyChainAsync(owner, org, ChainCheck.Recent));

        // Assert
        verification.IsIntact.Should().BeFalse();
        verification.FirstBreak!.Problem.Should().Contain("removed");
    }

    private static async Task<(Actor Owner, EntityRef Org, ServiceAccountView Account)> HistoryAsync(CoreHost host)
    {
        var owner = await host.UserAsync("ada");
        var org = await host.OrgAsync(owner, "chain-org");
        var account = await host.AccountAsync(owner, org, "Deploy Bot");
        await UpdateAsync(host, owner, org, account, "first");
        return (owner, org, account);
    }

    private static async Task UpdateAsync(CoreHost host, Actor owner, EntityRef org, ServiceAccountView account, string description)
    {
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var current = CoreHost.Must(await host.Accounts.GetAsync(owner, org, account.Handle));
        CoreHost.Must(await host.Accounts.UpdateAsync(owner, org, account.Handle, new ServiceAccountChanges(current.Title, description), current.Version));
    }

    /// <summary>What someone with write access to the file could do, after dropping the append-only triggers.</summary>
    private static async Task TamperAsync(CoreHost host, string sql, long recordId)
    {
        await RawDatabase.DisableAppendOnlyAsync(host.DatabasePath);
        await RawDatabase.ExecuteAsync(host.DatabasePath, sql, ("$id", recordId));
    }

    private static async Task<long> NewestIdAsync(CoreHost host)
    {
        await using var db = host.NewContext();
        return await db.AuditRecords.MaxAsync(r => r.Id);
    }

    private static async Task<long> OldestIdAsync(CoreHost host)
    {
        await using var db = host.NewContext();
        var entityId = await db.Orgs.Where(o => o.Handle == "chain-org").Select(o => o.Id).SingleAsync();
        return await db.AuditRecords.Where(r => r.EntityId == entityId).MinAsync(r => r.Id);
    }
}
