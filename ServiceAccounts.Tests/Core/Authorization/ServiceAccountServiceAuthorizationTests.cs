using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Authorization;

/// <summary>
/// The authorization matrix of <see cref="ServiceAccountService"/> in the Team org (rules 1, 6, 7).
/// Operations on one account address the member-role account unless the test says otherwise.
/// </summary>
public sealed class ServiceAccountServiceAuthorizationTests(SharedWorld shared) : IClassFixture<SharedWorld>
{
    private World World => shared.World;
    private ServiceAccountService Accounts => shared.World.Host.Accounts;

    // ListAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.Support)]
    [InlineData(Who.OwnerAccount)]
    public async Task ListAsync_OwnerSupportOrOwnerAccount_OkListsTheEntitysAccounts(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Accounts.ListAsync(actor, World.Team.Ref);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Select(a => a.Handle).Should().BeEquivalentTo(
            World.Team.OwnerAccount.Handle, World.Team.MemberAccount.Handle, World.Team.SecondOwnerAccount.Handle);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.MemberAccount)]
    public async Task ListAsync_MemberOrMemberAccount_Forbidden(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Accounts.ListAsync(actor, World.Team.Ref);

        result.Status.Should().Be(ResultStatus.Forbidden);
        result.Value.Should().BeNull();
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task ListAsync_NotAMember_NotFound(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Accounts.ListAsync(actor, World.Team.Ref);

        result.Status.Should().Be(ResultStatus.NotFound);
        result.Value.Should().BeNull();
    }

    // GetSelfAsync

    [Theory]
    [InlineData(Who.OwnerAccount)]
    [InlineData(Who.MemberAccount)]
    public async Task GetSelfAsync_ServiceAccountWithItsToken_OkWithItself(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Accounts.GetSelfAsync(actor);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Id.Should().Be(actor.Id);
    }

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.Member)]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Support)]
    [InlineData(Who.Anonymous)]
    public async Task GetSelfAsync_NotAServiceAccount_NotFound(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Accounts.GetSelfAsync(actor);

        result.Status.Should().Be(ResultStatus.NotFound);
        result.Value.Should().BeNull();
    }

    // GetAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.Support)]
    [InlineData(Who.OwnerAccount)]
    public async Task GetAsync_OwnerSupportOrOwnerAccount_OkWithTheAccount(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Accounts.GetAsync(actor, World.Team.Ref, World.Team.MemberAccount.Id);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Handle.Should().Be(World.Team.MemberAccount.Handle);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.MemberAccount)]
    public async Task GetAsync_MemberOrMemberAccount_Forbidden(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Accounts.GetAsync(actor, World.Team.Ref, World.Team.MemberAccount.Id);

        result.Status.Should().Be(ResultStatus.Forbidden);
        result.Value.Should().BeNull();
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task GetAsync_NotAMember_NotFound(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Accounts.GetAsync(actor, World.Team.Ref, World.Team.MemberAccount.Id);

        result.Status.Should().Be(ResultStatus.NotFound);
        result.Value.Should().BeNull();
    }

    [Fact]
    public async Task GetAsync_OwnerAccountReadsAnotherOwnerAccount_Ok()
    {
        var result = await Accounts.GetAsync(World.Team.OwnerAccountActor, World.Team.Ref, World.Team.SecondOwnerAccount.Handle);

        result.Status.Should().Be(ResultStatus.Ok);
    }

    [Fact]
    public async Task GetAsync_OtherOwnerAsksForThisAccountThroughOwnOrg_NotFound()
    {
        var result = await Accounts.GetAsync(World.Olga, World.OtherOrg, World.Team.MemberAccount.Id);

        result.Status.Should().Be(ResultStatus.NotFound);
    }

    [Fact]
    public async Task GetAsync_TenantAccountAddressedThroughTeamOrgItsOwnerAlsoOwns_NotFound()
    {
        // Ada owns both; an account is only reachable through its own billing entity.
        var result = await Accounts.GetAsync(World.Ada, World.Team.Ref, World.Enterprise.MemberAccount.Id);

        result.Status.Should().Be(ResultStatus.NotFound);
    }

    // CreateAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.OwnerAccount)]
    public async Task CreateAsync_OwnerOrOwnerAccount_CreatesMemberRoleAccountWithAuditRecord(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var recordsBefore = (await DbState.AuditActionsAsync(fresh.Host)).Count;

        var result = await fresh.Host.Accounts.CreateAsync(actor, fresh.Team.Ref, new NewServiceAccount("Fresh Bot", null));

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Role.Should().Be(Role.Member);
        result.Value.CreatedByHandle.Should().Be(actor.Handle);
        (await DbState.AuditActionsAsync(fresh.Host, recordsBefore)).Should().Equal(AuditActions.ServiceAccountCreate);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.Support)]
    [InlineData(Who.MemberAccount)]
    public async Task CreateAsync_MemberSupportOrMemberAccount_ForbiddenAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Accounts.CreateAsync(actor, fresh.Team.Ref, new NewServiceAccount("Fresh Bot", null));

        result.Status.Should().Be(ResultStatus.Forbidden);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task CreateAsync_NotAMember_NotFoundAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Accounts.CreateAsync(actor, fresh.Team.Ref, new NewServiceAccount("Fresh Bot", null));

        result.Status.Should().Be(ResultStatus.NotFound);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task CreateAsync_OwnerAccountDemotedAfterAuthenticating_ForbiddenAtOnce()
    {
        await using var fresh = await FreshWorld.StartAsync();
        CoreHost.Must(await fresh.Host.Accounts.ChangeRoleAsync(fresh.World.Ada, fresh.Team.Ref, fresh.Team.OwnerAccount.Id, Role.Member));
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Accounts.CreateAsync(fresh.Team.OwnerAccountActor, fresh.Team.Ref, new NewServiceAccount("Fresh Bot", null));

        result.Status.Should().Be(ResultStatus.Forbidden);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task CreateAsync_OwnerAccountDeletedAfterAuthenticating_NotFound()
    {
        await using var fresh = await FreshWorld.StartAsync();
        CoreHost.Must(await fresh.Host.Accounts.DeleteAsync(fresh.World.Ada, fresh.Team.Ref, fresh.Team.OwnerAccount.Id));
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Accounts.CreateAsync(fresh.Team.OwnerAccountActor, fresh.Team.Ref, new NewServiceAccount("Fresh Bot", null));

        result.Status.Should().Be(ResultStatus.NotFound);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    // UpdateAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.OwnerAccount)]
    public async Task UpdateAsync_OwnerOrOwnerAccountOnMemberAccount_SavesWithAuditRecord(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var target = fresh.Team.MemberAccount;
        var recordsBefore = (await DbState.AuditActionsAsync(fresh.Host)).Count;

        var result = await fresh.Host.Accounts.UpdateAsync(actor, fresh.Team.Ref, target.Id, new ServiceAccountChanges("Renamed Bot", "New words"), target.Version);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Title.Should().Be("Renamed Bot");
        (await DbState.AuditActionsAsync(fresh.Host, recordsBefore)).Should().Equal(AuditActions.ServiceAccountUpdate);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.Support)]
    [InlineData(Who.MemberAccount)]
    public async Task UpdateAsync_MemberSupportOrMemberAccount_ForbiddenAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var target = fresh.Team.MemberAccount;
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Accounts.UpdateAsync(actor, fresh.Team.Ref, target.Id, new ServiceAccountChanges("Renamed Bot", null), target.Version);

        result.Status.Should().Be(ResultStatus.Forbidden);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task UpdateAsync_NotAMember_NotFoundAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var target = fresh.Team.MemberAccount;
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Accounts.UpdateAsync(actor, fresh.Team.Ref, target.Id, new ServiceAccountChanges("Renamed Bot", null), target.Version);

        result.Status.Should().Be(ResultStatus.NotFound);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Target.Self)]
    [InlineData(Target.OtherOwnerAccount)]
    public async Task UpdateAsync_OwnerAccountOnOwnerRoleAccount_ForbiddenAndNothingSaved(Target target)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var account = Pick(fresh.Team, target);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Accounts.UpdateAsync(fresh.Team.OwnerAccountActor, fresh.Team.Ref, account.Id, new ServiceAccountChanges("Renamed Bot", null), account.Version);

        result.Status.Should().Be(ResultStatus.Forbidden);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task UpdateAsync_OwnerOnOwnerRoleAccount_Ok()
    {
        await using var fresh = await FreshWorld.StartAsync();
        var target = fresh.Team.OwnerAccount;

        var result = await fresh.Host.Accounts.UpdateAsync(fresh.World.Ada, fresh.Team.Ref, target.Id, new ServiceAccountChanges("Renamed Bot", null), target.Version);

        result.Status.Should().Be(ResultStatus.Ok);
    }

    // ChangeRoleAsync

    [Theory]
    [InlineData(Who.Owner)]
    public async Task ChangeRoleAsync_Owner_PromotesWithAuditRecord(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var recordsBefore = (await DbState.AuditActionsAsync(fresh.Host)).Count;

        var result = await fresh.Host.Accounts.ChangeRoleAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, Role.Owner);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Role.Should().Be(Role.Owner);
        (await DbState.AuditActionsAsync(fresh.Host, recordsBefore)).Should().Equal(AuditActions.ServiceAccountRoleUpdate);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.Support)]
    [InlineData(Who.OwnerAccount)]
    [InlineData(Who.MemberAccount)]
    public async Task ChangeRoleAsync_AnyoneButOwnerPerson_ForbiddenAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Accounts.ChangeRoleAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, Role.Owner);

        result.Status.Should().Be(ResultStatus.Forbidden);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task ChangeRoleAsync_NotAMember_NotFoundAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Accounts.ChangeRoleAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, Role.Owner);

        result.Status.Should().Be(ResultStatus.NotFound);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Target.Self)]
    [InlineData(Target.OtherOwnerAccount)]
    public async Task ChangeRoleAsync_OwnerAccountDemotesOwnerRoleAccount_ForbiddenAndNothingSaved(Target target)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var account = Pick(fresh.Team, target);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Accounts.ChangeRoleAsync(fresh.Team.OwnerAccountActor, fresh.Team.Ref, account.Id, Role.Member);

        result.Status.Should().Be(ResultStatus.Forbidden);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    // DeleteAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.OwnerAccount)]
    public async Task DeleteAsync_OwnerOrOwnerAccountOnMemberAccount_DeletesAccountTokensAndMembership(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var target = fresh.Team.MemberAccount;
        var recordsBefore = (await DbState.AuditActionsAsync(fresh.Host)).Count;

        var result = await fresh.Host.Accounts.DeleteAsync(actor, fresh.Team.Ref, target.Id, target.Version);

        result.Status.Should().Be(ResultStatus.Ok);
        await using var db = fresh.Host.NewContext();
        (await db.ServiceAccounts.AnyAsync(s => s.Id == target.Id)).Should().BeFalse();
        (await db.ApiTokens.AnyAsync(t => t.ServiceAccountId == target.Id)).Should().BeFalse();
        (await db.Memberships.AnyAsync(m => m.ServiceAccountId == target.Id)).Should().BeFalse();
        (await DbState.AuditActionsAsync(fresh.Host, recordsBefore)).Should().Equal(AuditActions.ServiceAccountDelete);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.Support)]
    [InlineData(Who.MemberAccount)]
    public async Task DeleteAsync_MemberSupportOrMemberAccount_ForbiddenAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Accounts.DeleteAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id);

        result.Status.Should().Be(ResultStatus.Forbidden);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task DeleteAsync_NotAMember_NotFoundAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Accounts.DeleteAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id);

        result.Status.Should().Be(ResultStatus.NotFound);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Target.Self)]
    [InlineData(Target.OtherOwnerAccount)]
    public async Task DeleteAsync_OwnerAccountOnOwnerRoleAccount_ForbiddenAndNothingSaved(Target target)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var account = Pick(fresh.Team, target);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Accounts.DeleteAsync(fresh.Team.OwnerAccountActor, fresh.Team.Ref, account.Id);

        result.Status.Should().Be(ResultStatus.Forbidden);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    public enum Target
    {
        Self,
        OtherOwnerAccount,
    }

    private static ServiceAccountView Pick(ManagedEntity entity, Target target) =>
        target == Target.Self ? entity.OwnerAccount : entity.SecondOwnerAccount;
}
