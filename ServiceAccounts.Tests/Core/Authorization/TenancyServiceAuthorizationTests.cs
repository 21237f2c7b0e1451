using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Authorization;

/// <summary>The authorization matrix of <see cref="TenancyService"/>: entities, members and tenant settings.</summary>
public sealed class TenancyServiceAuthorizationTests(SharedWorld shared) : IClassFixture<SharedWorld>
{
    private World World => shared.World;
    private TenancyService Tenancy => shared.World.Host.Tenancy;

    // GetMyEntitiesAsync

    [Theory]
    [InlineData(Who.Owner, Role.Owner)]
    [InlineData(Who.Member, Role.Member)]
    [InlineData(Who.OwnerAccount, Role.Owner)]
    [InlineData(Who.MemberAccount, Role.Member)]
    public async Task GetMyEntitiesAsync_MemberOfTeam_ListsTeamWithItsRoleAndNotOthers(Who who, Role role)
    {
        var actor = World.Team.As(who);

        var result = await Tenancy.GetMyEntitiesAsync(actor);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value.Should().ContainSingle(e => e.Kind == EntityKind.Org && e.Handle == World.TeamHandle)
            .Which.Role.Should().Be(role);
        result.Value.Should().NotContain(e => e.Handle == World.OtherHandle);
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    public async Task GetMyEntitiesAsync_OwnerOfOtherEntity_ListsOnlyItsOwn(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Tenancy.GetMyEntitiesAsync(actor);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Select(e => (e.Handle, e.Role)).Should().Equal((World.OtherHandle, Role.Owner));
    }

    [Theory]
    [InlineData(Who.Support)]
    public async Task GetMyEntitiesAsync_Support_OkAndEmpty(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Tenancy.GetMyEntitiesAsync(actor);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value.Should().BeEmpty();
    }

    [Theory]
    [InlineData(Who.Anonymous)]
    public async Task GetMyEntitiesAsync_Anonymous_Forbidden(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Tenancy.GetMyEntitiesAsync(actor);

        result.Status.Should().Be(ResultStatus.Forbidden);
    }

    // GetEntityAsync

    [Theory]
    [InlineData(Who.Owner, Relation.Owner)]
    [InlineData(Who.Member, Relation.Member)]
    [InlineData(Who.Support, Relation.Support)]
    [InlineData(Who.OwnerAccount, Relation.Owner)]
    [InlineData(Who.MemberAccount, Relation.Member)]
    public async Task GetEntityAsync_RelatedActor_OkWithItsRelation(Who who, Relation relation)
    {
        var actor = World.Team.As(who);

        var result = await Tenancy.GetEntityAsync(actor, World.Team.Ref);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Handle.Should().Be(World.TeamHandle);
        result.Value.Relation.Should().Be(relation);
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task GetEntityAsync_NotAMember_NotFound(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Tenancy.GetEntityAsync(actor, World.Team.Ref);

        result.Status.Should().Be(ResultStatus.NotFound);
    }

    [Fact]
    public async Task GetEntityAsync_NotAMemberOfExistingOrg_SameAnswerAsForMissingOrg()
    {
        var missing = EntityRef.Org("acme-none");

        var existing = await Tenancy.GetEntityAsync(World.Olga, World.Team.Ref);
        var absent = await Tenancy.GetEntityAsync(World.Olga, missing);

        existing.Status.Should().Be(absent.Status);
        existing.Message.Replace(World.TeamHandle, "*").Should().Be(absent.Message.Replace(missing.Handle, "*"));
    }

    // GetMembersAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.Member)]
    [InlineData(Who.Support)]
    [InlineData(Who.OwnerAccount)]
    [InlineData(Who.MemberAccount)]
    public async Task GetMembersAsync_RelatedActor_OkListsPeopleAndAccounts(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Tenancy.GetMembersAsync(actor, World.Team.Ref, new MemberQuery());

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Items.Select(m => m.Handle).Should().BeEquivalentTo(
            World.Ada.Handle, World.Max.Handle, World.Team.OwnerAccount.Handle, World.Team.MemberAccount.Handle, World.Team.SecondOwnerAccount.Handle);
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task GetMembersAsync_NotAMember_NotFound(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Tenancy.GetMembersAsync(actor, World.Team.Ref, new MemberQuery());

        result.Status.Should().Be(ResultStatus.NotFound);
        result.Value.Should().BeNull();
    }

    // GetAuthenticationSettingsAsync (Enterprise tenant)

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.Support)]
    public async Task GetAuthenticationSettingsAsync_OwnerOrSupport_OkWithSettings(Who who)
    {
        var actor = World.Enterprise.As(who);

        var result = await Tenancy.GetAuthenticationSettingsAsync(actor, World.TenantHandle);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.MaxTokenExpirationDays.Should().Be(World.TenantMaxDays);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.OwnerAccount)]
    [InlineData(Who.MemberAccount)]
    public async Task GetAuthenticationSettingsAsync_MemberOrServiceAccount_Forbidden(Who who)
    {
        var actor = World.Enterprise.As(who);

        var result = await Tenancy.GetAuthenticationSettingsAsync(actor, World.TenantHandle);

        result.Status.Should().Be(ResultStatus.Forbidden);
        result.Value.Should().BeNull();
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task GetAuthenticationSettingsAsync_NotAMember_NotFound(Who who)
    {
        var actor = World.Enterprise.As(who);

        var result = await Tenancy.GetAuthenticationSettingsAsync(actor, World.TenantHandle);

        result.Status.Should().Be(ResultStatus.NotFound);
    }

    [Fact]
    public async Task GetAuthenticationSettingsAsync_TeamOrgServiceAccountOfOwnerAda_NotFound()
    {
        // An owner-role account of acme-team is nothing to the tenant acme-corp, although the same person owns both.
        var result = await Tenancy.GetAuthenticationSettingsAsync(World.Team.OwnerAccountActor, World.TenantHandle);

        result.Status.Should().Be(ResultStatus.NotFound);
    }

    // CreateOrgAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.Member)]
    [InlineData(Who.OtherOwner)]
    public async Task CreateOrgAsync_Person_CreatesTeamOrgOwnedByThem(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);

        var result = await fresh.Host.Tenancy.CreateOrgAsync(actor, "new-org", "New Org");

        result.Status.Should().Be(ResultStatus.Ok);
        var mine = CoreHost.Must(await fresh.Host.Tenancy.GetMyEntitiesAsync(actor));
        mine.Should().ContainSingle(e => e.Handle == "new-org").Which.Should().Match<MyEntity>(e => e.Role == Role.Owner && e.Plan == Plan.Team);
    }

    [Theory]
    [InlineData(Who.Support)]
    [InlineData(Who.OwnerAccount)]
    [InlineData(Who.MemberAccount)]
    [InlineData(Who.Anonymous)]
    public async Task CreateOrgAsync_NotAPerson_ForbiddenAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Tenancy.CreateOrgAsync(actor, "new-org", "New Org");

        result.Status.Should().Be(ResultStatus.Forbidden);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    // UpdateAuthenticationSettingsAsync (Enterprise tenant)

    [Theory]
    [InlineData(Who.Owner)]
    public async Task UpdateAuthenticationSettingsAsync_Owner_SavesWithAuditRecord(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.World.Enterprise.As(who);
        var version = CoreHost.Must(await fresh.Host.Tenancy.GetAuthenticationSettingsAsync(actor, World.TenantHandle)).Version;
        var recordsBefore = (await DbState.AuditActionsAsync(fresh.Host)).Count;

        var result = await fresh.Host.Tenancy.UpdateAuthenticationSettingsAsync(actor, World.TenantHandle, 60, 30, version);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.MaxTokenExpirationDays.Should().Be(60);
        (await DbState.AuditActionsAsync(fresh.Host, recordsBefore)).Should().Equal(AuditActions.TenantSettingsUpdate);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.Support)]
    [InlineData(Who.OwnerAccount)]
    [InlineData(Who.MemberAccount)]
    public async Task UpdateAuthenticationSettingsAsync_NotOwnerPerson_ForbiddenAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.World.Enterprise.As(who);
        var version = await TenantVersionAsync(fresh);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Tenancy.UpdateAuthenticationSettingsAsync(actor, World.TenantHandle, null, 30, version);

        result.Status.Should().Be(ResultStatus.Forbidden);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task UpdateAuthenticationSettingsAsync_NotAMember_NotFoundAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.World.Enterprise.As(who);
        var version = await TenantVersionAsync(fresh);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Tenancy.UpdateAuthenticationSettingsAsync(actor, World.TenantHandle, null, 30, version);

        result.Status.Should().Be(ResultStatus.NotFound);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    // ResetAuthenticationAsync (Enterprise tenant)

    [Theory]
    [InlineData(Who.Owner)]
    public async Task ResetAuthenticationAsync_Owner_ResetsWithAuditRecord(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.World.Enterprise.As(who);
        var recordsBefore = (await DbState.AuditActionsAsync(fresh.Host)).Count;

        var result = await fresh.Host.Tenancy.ResetAuthenticationAsync(actor, World.TenantHandle);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.AuthenticationResetAt.Should().Be(fresh.Host.Clock.UtcNow);
        (await DbState.AuditActionsAsync(fresh.Host, recordsBefore)).Should().Equal(AuditActions.TenantAuthenticationReset);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.Support)]
    [InlineData(Who.OwnerAccount)]
    [InlineData(Who.MemberAccount)]
    public async Task ResetAuthenticationAsync_NotOwnerPerson_ForbiddenAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.World.Enterprise.As(who);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Tenancy.ResetAuthenticationAsync(actor, World.TenantHandle);

        result.Status.Should().Be(ResultStatus.Forbidden);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
        (await fresh.Host.Authenticator.AuthenticateAsync(fresh.World.Enterprise.OwnerAccountToken.Secret)).Succeeded.Should().BeTrue();
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task ResetAuthenticationAsync_NotAMember_NotFoundAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.World.Enterprise.As(who);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Tenancy.ResetAuthenticationAsync(actor, World.TenantHandle);

        result.Status.Should().Be(ResultStatus.NotFound);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    private static async Task<long> TenantVersionAsync(FreshWorld fresh)
    {
        await using var db = fresh.Host.NewContext();
        return await db.Tenants.Where(t => t.Handle == World.TenantHandle).Select(t => t.Version).SingleAsync();
    }
}
