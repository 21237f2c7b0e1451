using ServiceAccounts.Tests.Core.Audit;
using ServiceAccounts.Tests.TestSupport;
using ServiceAccounts.Web.Commands;

namespace ServiceAccounts.Tests.Web;

/// <summary><c>audit verify</c>: exit 0 on intact chains, non-zero at a break, naming the first bad record.</summary>
public sealed class AuditCommandTests
{
    [Fact]
    public async Task Verify_DemoData_ExitsZeroAndReportsEachEntity()
    {
        await using var host = await CoreHost.StartAsync(demo: true);
        var output = new StringWriter();

        var exit = await AuditCommand.RunAsync(host.Services, ["audit", "verify"], output);

        exit.Should().Be(0, output.ToString());
        output.ToString().Should().Contain("ok      org/sandbox: verified through #").And.Contain("ok      tenant/acme");
    }

    [Fact]
    public async Task Verify_EditedRecord_ExitsNonZeroNamingIt()
    {
        await using var host = await CoreHost.StartAsync(demo: true);
        long id;
        await using (var db = host.NewContext())
        {
            id = db.AuditRecords.OrderBy(r => r.Id).Skip(5).Select(r => r.Id).First();
        }
        await RawDatabase.DisableAppendOnlyAsync(host.DatabasePath);
        await RawDatabase.ExecuteAsync(host.DatabasePath, "UPDATE \"AuditRecords\" SET \"ActorIp\" = '6.6.6.6' WHERE \"Id\" = $id", ("$id", id));
        var output = new StringWriter();

        var exit = await AuditCommand.RunAsync(host.Services, ["audit", "verify"], output);

        exit.Should().Be(1);
        output.ToString().Should().Contain("BROKEN").And.Contain($"Record {id} ");
    }

    [Fact]
    public async Task Verify_UnknownEntityOrBadArguments_ExitsTwo()
    {
        await using var host = await CoreHost.StartAsync();

        (await AuditCommand.RunAsync(host.Services, ["audit", "verify", "--entity", "nope"], new StringWriter())).Should().Be(2);
        (await AuditCommand.RunAsync(host.Services, ["audit", "frobnicate"], new StringWriter())).Should().Be(2);
    }

    [Fact]
    public async Task Generate_DemoAccount_AppendsRecordsAndTheChainStillVerifies()
    {
        await using var host = await CoreHost.StartAsync(demo: true);
        var output = new StringWriter();

        var exit = await AuditCommand.RunAsync(host.Services, ["audit", "generate", "--entity", "sandbox", "--account", "ci-deployer", "--count", "2500", "--days", "30"], output);

        exit.Should().Be(0, output.ToString());
        output.ToString().Should().Contain("appended 2,500 records for ci-deployer in sandbox");
        var verify = new StringWriter();
        (await AuditCommand.RunAsync(host.Services, ["audit", "verify", "--entity", "sandbox"], verify)).Should().Be(0, verify.ToString());
        await using var db = host.NewContext();
        db.AuditRecords.Count(r => r.IdentityHandle == "ci-deployer").Should().BeGreaterThan(2_500);
    }

    [Fact]
    public async Task Generate_MissingCountOrUnknownAccount_ExitsTwo()
    {
        await using var host = await CoreHost.StartAsync(demo: true);

        (await AuditCommand.RunAsync(host.Services, ["audit", "generate", "--entity", "sandbox", "--account", "ci-deployer"], new StringWriter())).Should().Be(2);
        (await AuditCommand.RunAsync(host.Services, ["audit", "generate", "--entity", "sandbox", "--account", "ci-deployer", "--count", "zero"], new StringWriter())).Should().Be(2);
        (await AuditCommand.RunAsync(host.Services, ["audit", "generate", "--entity", "sandbox", "--account", "nobody", "--count", "10"], new StringWriter())).Should().Be(2);
    }
}
