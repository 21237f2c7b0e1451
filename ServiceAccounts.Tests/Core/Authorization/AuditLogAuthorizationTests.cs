using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Authorization;

/// <summary>The authorization matrix of <see cref="AuditLog"/> in the Team org (rules 1, 6, 7).</summary>
public sealed class AuditLogAuthorizationTests(SharedWorld shared) : IClassFixture<SharedWorld>
{
    private World World => shared.World;
    private AuditLog Audit => shared.World.Host.Audit;
    private string MemberAccountId => World.Team.MemberAccount.Id;

    // QueryAsync (support writes; its cases run in a world of their own)

    // VerifyAllAsync

    [Theory]
    [InlineData(Who.Support)]
    public async Task VerifyAllAsync_Support_OkWithEveryEntity(Who who)
    {
        var result = await Audit.VerifyAllAsync(World.Team.As(who));

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Should().Contain(v => v.Entity == World.Team.Ref).And.OnlyContain(v => v.Verification.IsIntact);
    }

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.Member)]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.OwnerAccount)]
    [InlineData(Who.MemberAccount)]
    [InlineData(Who.Anonymous)]
    public async Task VerifyAllAsync_AnyoneButSupport_Forbidden(Who who)
    {
        var result = await Audit.VerifyAllAsync(World.Team.As(who));

        result.Status.Should().Be(ResultStatus.Forbidden);
    }

    // ExportAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.OwnerAccount)]
    public async Task ExportAsync_OwnerOrOwnerAccount_OkStreamsTheAccountsRecordsAndWritesNothing(Who who)
    {
        var actor = World.Team.As(who);
        var before = await DbState.CaptureAsync(World.Host);

        var result = await Audit.ExportAsync(actor, World.Team.Ref, MemberAccountId, new AuditQuery());

        result.Status.Should().Be(ResultStatus.Ok);
        (await result.Value!.ToListAsync()).Should().Contain(r => r.ActionType == AuditActions.ServiceAccountCreate)
            .And.OnlyContain(r => r.IdentityId == MemberAccountId);
        (await DbState.CaptureAsync(World.Host)).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Who.Support)]
    public async Task ExportAsync_Support_OkAndWritesSupportExportRecord(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var recordsBefore = (await DbState.AuditActionsAsync(fresh.Host)).Count;

        var result = await fresh.Host.Audit.ExportAsync(fresh.Team.As(who), fresh.Team.Ref, fresh.Team.MemberAccount.Id, new AuditQuery());

        result.Status.Should().Be(ResultStatus.Ok);
        (await DbState.AuditActionsAsync(fresh.Host, recordsBefore)).Should().Equal(AuditActions.SupportAuditLogExport);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.MemberAccount)]
    public async Task ExportAsync_MemberOrMemberAccount_ForbiddenAndWritesNothing(Who who)
    {
        var before = await DbState.CaptureAsync(World.Host);

        var result = await Audit.ExportAsync(World.Team.As(who), World.Team.Ref, MemberAccountId, new AuditQuery());

        result.Status.Should().Be(ResultStatus.Forbidden);
        (await DbState.CaptureAsync(World.Host)).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task ExportAsync_NotAMember_NotFoundAndWritesNothing(Who who)
    {
        var before = await DbState.CaptureAsync(World.Host);

        var result = await Audit.ExportAsync(World.Team.As(who), World.Team.Ref, MemberAccountId, new AuditQuery());

        result.Status.Should().Be(ResultStatus.NotFound);
        (await DbState.CaptureAsync(World.Host)).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.OwnerAccount)]
    public async Task QueryAsync_OwnerOrOwnerAccount_OkSeesTheAccountsRecordsAndWritesNothing(Who who)
    {
        var actor = World.Team.As(who);
        var before = await DbState.CaptureAsync(World.Host);

        var result = await Audit.QueryAsync(actor, World.Team.Ref, MemberAccountId, new AuditQuery());

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Items.Should().Contain(r => r.ActionType == AuditActions.ServiceAccountCreate)
            .And.OnlyContain(r => r.IdentityId == MemberAccountId);
        (await DbState.CaptureAsync(World.Host)).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Who.Support)]
    public async Task QueryAsync_SupportOpensFirstPage_OkAndWritesSupportViewRecord(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var recordsBefore = (await DbState.AuditActionsAsync(fresh.Host)).Count;

        var result = await fresh.Host.Audit.QueryAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, new AuditQuery(Limit: 100));

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Items.Should().Contain(r => r.ActionType == AuditActions.ServiceAccountCreate);
        (await DbState.AuditActionsAsync(fresh.Host, recordsBefore)).Should().Equal(AuditActions.SupportAuditLogView);
        await using var db = fresh.Host.NewContext();
        var view = await db.AuditRecords.OrderBy(r => r.Id).LastAsync();
        view.Should().Match<AuditRecord>(r => r.ActorType == ActorType.Support && r.ActorId == actor.Id && r.IdentityId == fresh.Team.MemberAccount.Id);
        (await fresh.Host.Audit.VerifyChainAsync(fresh.World.Ada, fresh.Team.Ref)).Value!.IsIntact.Should().BeTrue();
    }

    [Fact]
    public async Task QueryAsync_SupportTurnsToNextPage_WritesNoFurtherRecord()
    {
        await using var fresh = await FreshWorld.StartAsync();
        var first = CoreHost.Must(await fresh.Host.Audit.QueryAsync(fresh.World.Sam, fresh.Team.Ref, fresh.Team.MemberAccount.Id, new AuditQuery(Limit: 1)));
        first.NextCursor.Should().NotBeNull();
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Audit.QueryAsync(fresh.World.Sam, fresh.Team.Ref, fresh.Team.MemberAccount.Id, new AuditQuery(Limit: 1, Cursor: first.NextCursor));

        result.Status.Should().Be(ResultStatus.Ok);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task QueryAsync_SupportOnMissingAccount_NotFoundAndNoRecord()
    {
        await using var fresh = await FreshWorld.StartAsync();
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Audit.QueryAsync(fresh.World.Sam, fresh.Team.Ref, "no-such-account", new AuditQuery());

        result.Status.Should().Be(ResultStatus.NotFound);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.MemberAccount)]
    public async Task QueryAsync_MemberOrMemberAccount_ForbiddenAndWritesNothing(Who who)
    {
        var actor = World.Team.As(who);
        var before = await DbState.CaptureAsync(World.Host);

        var result = await Audit.QueryAsync(actor, World.Team.Ref, MemberAccountId, new AuditQuery());

        result.Status.Should().Be(ResultStatus.Forbidden);
        result.Value.Should().BeNull();
        (await DbState.CaptureAsync(World.Host)).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task QueryAsync_NotAMember_NotFoundAndWritesNothing(Who who)
    {
        var actor = World.Team.As(who);
        var before = await DbState.CaptureAsync(World.Host);

        var result = await Audit.QueryAsync(actor, World.Team.Ref, MemberAccountId, new AuditQuery());

        result.Status.Should().Be(ResultStatus.NotFound);
        result.Value.Should().BeNull();
        (await DbState.CaptureAsync(World.Host)).Should().BeEquivalentTo(before);
    }

    // VerifyChainAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.Support)]
    public async Task VerifyChainAsync_OwnerOrSupport_OkAndIntact(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Audit.VerifyChainAsync(actor, World.Team.Ref);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.IsIntact.Should().BeTrue();
        result.Value.RecordsChecked.Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.OwnerAccount)]
    [InlineData(Who.MemberAccount)]
    public async Task VerifyChainAsync_MemberOrServiceAccount_Forbidden(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Audit.VerifyChainAsync(actor, World.Team.Ref);

        result.Status.Should().Be(ResultStatus.Forbidden);
        result.Value.Should().BeNull();
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task VerifyChainAsync_NotAMember_NotFound(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Audit.VerifyChainAsync(actor, World.Team.Ref);

        result.Status.Should().Be(ResultStatus.NotFound);
        result.Value.Should().BeNull();
    }

    // RecordApiRequestAsync: the actor is the service account that made the request, whatever its role.

    [Theory]
    [InlineData(Who.OwnerAccount)]
    [InlineData(Who.MemberAccount)]
    public async Task RecordApiRequestAsync_ServiceAccount_WritesRecordAboutItselfInItsEntity(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var recordsBefore = (await DbState.AuditActionsAsync(fresh.Host)).Count;

        var result = await fresh.Host.Audit.RecordApiRequestAsync(actor, "GET", "/api/v0/actor", 200);

        result.Status.Should().Be(ResultStatus.Ok);
        (await DbState.AuditActionsAsync(fresh.Host, recordsBefore)).Should().Equal(AuditActions.ApiRequest);
        await using var db = fresh.Host.NewContext();
        var teamId = await db.Orgs.Where(o => o.Handle == World.TeamHandle).Select(o => o.Id).SingleAsync();
        var record = await db.AuditRecords.OrderBy(r => r.Id).LastAsync();
        record.Should().Match<AuditRecord>(r => r.EntityId == teamId && r.IdentityId == actor.Id && r.TokenId == actor.TokenId);
    }

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.Member)]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Support)]
    [InlineData(Who.Anonymous)]
    public async Task RecordApiRequestAsync_NotAServiceAccount_InvalidAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Audit.RecordApiRequestAsync(actor, "GET", "/api/v0/actor", 200);

        result.Status.Should().Be(ResultStatus.Invalid);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }
}
