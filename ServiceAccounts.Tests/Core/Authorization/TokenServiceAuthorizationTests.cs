using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Authorization;

/// <summary>
/// The authorization matrix of <see cref="TokenService"/> in the Team org (rules 1, 6, 7).
/// Unless a test says otherwise it addresses the member-role account and its token.
/// </summary>
public sealed class TokenServiceAuthorizationTests(SharedWorld shared) : IClassFixture<SharedWorld>
{
    private World World => shared.World;
    private TokenService Tokens => shared.World.Host.Tokens;
    private string MemberAccountId => World.Team.MemberAccount.Id;
    private string MemberTokenId => World.Team.MemberAccountToken.Token.Id;

    // ListAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.Support)]
    [InlineData(Who.OwnerAccount)]
    public async Task ListAsync_OwnerSupportOrOwnerAccount_OkListsTheAccountsTokens(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Tokens.ListAsync(actor, World.Team.Ref, MemberAccountId);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Select(t => t.Id).Should().Equal(MemberTokenId);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.MemberAccount)]
    public async Task ListAsync_MemberOrMemberAccount_Forbidden(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Tokens.ListAsync(actor, World.Team.Ref, MemberAccountId);

        result.Status.Should().Be(ResultStatus.Forbidden);
        result.Value.Should().BeNull();
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task ListAsync_NotAMember_NotFound(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Tokens.ListAsync(actor, World.Team.Ref, MemberAccountId);

        result.Status.Should().Be(ResultStatus.NotFound);
        result.Value.Should().BeNull();
    }

    [Fact]
    public async Task ListAsync_OwnerAccountReadsAnotherOwnerAccountsTokens_Ok()
    {
        var result = await Tokens.ListAsync(World.Team.OwnerAccountActor, World.Team.Ref, World.Team.SecondOwnerAccount.Id);

        result.Status.Should().Be(ResultStatus.Ok);
    }

    // GetAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.Support)]
    [InlineData(Who.OwnerAccount)]
    public async Task GetAsync_OwnerSupportOrOwnerAccount_OkWithMetadataOnly(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Tokens.GetAsync(actor, World.Team.Ref, MemberAccountId, MemberTokenId);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Last4.Should().Be(World.Team.MemberAccountToken.Token.Last4);
        result.Value.ToString().Should().NotContain(World.Team.MemberAccountToken.Secret);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.MemberAccount)]
    public async Task GetAsync_MemberOrMemberAccount_Forbidden(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Tokens.GetAsync(actor, World.Team.Ref, MemberAccountId, MemberTokenId);

        result.Status.Should().Be(ResultStatus.Forbidden);
        result.Value.Should().BeNull();
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task GetAsync_NotAMember_NotFound(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Tokens.GetAsync(actor, World.Team.Ref, MemberAccountId, MemberTokenId);

        result.Status.Should().Be(ResultStatus.NotFound);
        result.Value.Should().BeNull();
    }

    [Fact]
    public async Task GetAsync_TokenOfAnotherAccountAddressedThroughThisOne_NotFound()
    {
        var result = await Tokens.GetAsync(World.Ada, World.Team.Ref, MemberAccountId, World.Team.OwnerAccountToken.Token.Id);

        result.Status.Should().Be(ResultStatus.NotFound);
    }

    // GetExpirationPolicyAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.Support)]
    [InlineData(Who.OwnerAccount)]
    public async Task GetExpirationPolicyAsync_OwnerSupportOrOwnerAccount_OkWithTenantMaximum(Who who)
    {
        var actor = World.Enterprise.As(who);

        var result = await Tokens.GetExpirationPolicyAsync(actor, World.Enterprise.Ref, World.Enterprise.MemberAccount.Id);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.MaxDays.Should().Be(World.TenantMaxDays);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.MemberAccount)]
    public async Task GetExpirationPolicyAsync_MemberOrMemberAccount_Forbidden(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Tokens.GetExpirationPolicyAsync(actor, World.Team.Ref, MemberAccountId);

        result.Status.Should().Be(ResultStatus.Forbidden);
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task GetExpirationPolicyAsync_NotAMember_NotFound(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Tokens.GetExpirationPolicyAsync(actor, World.Team.Ref, MemberAccountId);

        result.Status.Should().Be(ResultStatus.NotFound);
    }

    // CreateAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.OwnerAccount)]
    public async Task CreateAsync_OwnerOrOwnerAccountForMemberAccount_CreatesWithAuditRecord(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var recordsBefore = (await DbState.AuditActionsAsync(fresh.Host)).Count;

        var result = await fresh.Host.Tokens.CreateAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, NewToken());

        result.Status.Should().Be(ResultStatus.Ok);
        (await fresh.Host.Authenticator.AuthenticateAsync(result.Value!.Secret)).Actor!.Id.Should().Be(fresh.Team.MemberAccount.Id);
        (await DbState.AuditActionsAsync(fresh.Host, recordsBefore)).Should().Equal(AuditActions.TokenCreate);
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

        var result = await fresh.Host.Tokens.CreateAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, NewToken());

        result.Status.Should().Be(ResultStatus.Forbidden);
        result.Value.Should().BeNull();
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

        var result = await fresh.Host.Tokens.CreateAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, NewToken());

        result.Status.Should().Be(ResultStatus.NotFound);
        result.Value.Should().BeNull();
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task CreateAsync_OwnerAccountForItself_Ok()
    {
        await using var fresh = await FreshWorld.StartAsync();

        var result = await fresh.Host.Tokens.CreateAsync(fresh.Team.OwnerAccountActor, fresh.Team.Ref, fresh.Team.OwnerAccount.Id, NewToken());

        result.Status.Should().Be(ResultStatus.Ok);
    }

    // DeactivateAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.OwnerAccount)]
    public async Task DeactivateAsync_OwnerOrOwnerAccountOnMemberAccountsToken_DeactivatesWithAuditRecord(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var recordsBefore = (await DbState.AuditActionsAsync(fresh.Host)).Count;

        var result = await fresh.Host.Tokens.DeactivateAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, fresh.Team.MemberAccountToken.Token.Id);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Status.Should().Be(TokenStatus.Inactive);
        (await DbState.AuditActionsAsync(fresh.Host, recordsBefore)).Should().Equal(AuditActions.TokenDeactivate);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.Support)]
    [InlineData(Who.MemberAccount)]
    public async Task DeactivateAsync_MemberSupportOrMemberAccount_ForbiddenAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Tokens.DeactivateAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, fresh.Team.MemberAccountToken.Token.Id);

        result.Status.Should().Be(ResultStatus.Forbidden);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task DeactivateAsync_NotAMember_NotFoundAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Tokens.DeactivateAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, fresh.Team.MemberAccountToken.Token.Id);

        result.Status.Should().Be(ResultStatus.NotFound);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    // ActivateAsync (the member-role account's token is deactivated first, by its owner)

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.OwnerAccount)]
    public async Task ActivateAsync_OwnerOrOwnerAccountOnMemberAccountsToken_ActivatesWithAuditRecord(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        await DeactivateMemberTokenAsync(fresh);
        var actor = fresh.Team.As(who);
        var recordsBefore = (await DbState.AuditActionsAsync(fresh.Host)).Count;

        var result = await fresh.Host.Tokens.ActivateAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, fresh.Team.MemberAccountToken.Token.Id);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Status.Should().Be(TokenStatus.Active);
        (await DbState.AuditActionsAsync(fresh.Host, recordsBefore)).Should().Equal(AuditActions.TokenActivate);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.Support)]
    [InlineData(Who.MemberAccount)]
    public async Task ActivateAsync_MemberSupportOrMemberAccount_ForbiddenAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        await DeactivateMemberTokenAsync(fresh);
        var actor = fresh.Team.As(who);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Tokens.ActivateAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, fresh.Team.MemberAccountToken.Token.Id);

        result.Status.Should().Be(ResultStatus.Forbidden);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.Anonymous)]
    public async Task ActivateAsync_NotAMember_NotFoundAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        await DeactivateMemberTokenAsync(fresh);
        var actor = fresh.Team.As(who);
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Tokens.ActivateAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, fresh.Team.MemberAccountToken.Token.Id);

        result.Status.Should().Be(ResultStatus.NotFound);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    // UpdateAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.OwnerAccount)]
    public async Task UpdateAsync_OwnerOrOwnerAccountOnMemberAccountsToken_RenamesWithAuditRecord(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var token = fresh.Team.MemberAccountToken.Token;
        var recordsBefore = (await DbState.AuditActionsAsync(fresh.Host)).Count;

        var result = await fresh.Host.Tokens.UpdateAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, token.Id, new TokenChanges(Title: "renamed"), token.Version);

        result.Status.Should().Be(ResultStatus.Ok);
        result.Value!.Title.Should().Be("renamed");
        (await DbState.AuditActionsAsync(fresh.Host, recordsBefore)).Should().Equal(AuditActions.TokenUpdate);
    }

    [Theory]
    [InlineData(Who.Member)]
    [InlineData(Who.Support)]
    [InlineData(Who.MemberAccount)]
    public async Task UpdateAsync_MemberSupportOrMemberAccount_ForbiddenAndNothingSaved(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var token = fresh.Team.MemberAccountToken.Token;
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Tokens.UpdateAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, token.Id, new TokenChanges(Title: "renamed", Status: TokenStatus.Inactive), token.Version);

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
        var token = fresh.Team.MemberAccountToken.Token;
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Tokens.UpdateAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, token.Id, new TokenChanges(Title: "renamed", Status: TokenStatus.Inactive), token.Version);

        result.Status.Should().Be(ResultStatus.NotFound);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    // DeleteAsync

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.OwnerAccount)]
    public async Task DeleteAsync_OwnerOrOwnerAccountOnMemberAccountsToken_DeletesWithAuditRecord(Who who)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var actor = fresh.Team.As(who);
        var created = fresh.Team.MemberAccountToken;
        var recordsBefore = (await DbState.AuditActionsAsync(fresh.Host)).Count;

        var result = await fresh.Host.Tokens.DeleteAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, created.Token.Id);

        result.Status.Should().Be(ResultStatus.Ok);
        (await fresh.Host.Authenticator.AuthenticateAsync(created.Secret)).Refusal.Should().Be(TokenRefusal.Unknown);
        (await DbState.AuditActionsAsync(fresh.Host, recordsBefore)).Should().Equal(AuditActions.TokenDelete);
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

        var result = await fresh.Host.Tokens.DeleteAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, fresh.Team.MemberAccountToken.Token.Id);

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

        var result = await fresh.Host.Tokens.DeleteAsync(actor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, fresh.Team.MemberAccountToken.Token.Id);

        result.Status.Should().Be(ResultStatus.NotFound);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    // Rule 6 beyond the matrix: an owner-role account and the tokens of owner-role accounts.

    public enum TokenWrite
    {
        Create,
        Deactivate,
        Activate,
        Rename,
        Delete,
    }

    [Theory]
    [InlineData(TokenWrite.Create)]
    [InlineData(TokenWrite.Deactivate)]
    [InlineData(TokenWrite.Activate)]
    [InlineData(TokenWrite.Rename)]
    [InlineData(TokenWrite.Delete)]
    public async Task TokenWrite_OwnerAccountOnItsOwnToken_Ok(TokenWrite write)
    {
        await using var fresh = await FreshWorld.StartAsync();
        var self = fresh.Team.OwnerAccountActor;
        await PrepareAsync(fresh, fresh.Team.OwnerAccount, fresh.Team.OwnerAccountToken.Token, write);

        var result = await WriteAsync(fresh, self, fresh.Team.OwnerAccount, fresh.Team.OwnerAccountToken.Token, write);

        result.Should().Be(ResultStatus.Ok);
    }

    [Theory]
    [InlineData(TokenWrite.Create)]
    [InlineData(TokenWrite.Deactivate)]
    [InlineData(TokenWrite.Activate)]
    [InlineData(TokenWrite.Rename)]
    [InlineData(TokenWrite.Delete)]
    public async Task TokenWrite_OwnerAccountOnAnotherOwnerAccountsToken_ForbiddenAndNothingSaved(TokenWrite write)
    {
        await using var fresh = await FreshWorld.StartAsync();
        await PrepareAsync(fresh, fresh.Team.SecondOwnerAccount, fresh.Team.SecondOwnerAccountToken.Token, write);
        var before = await fresh.StateAsync();

        var result = await WriteAsync(fresh, fresh.Team.OwnerAccountActor, fresh.Team.SecondOwnerAccount, fresh.Team.SecondOwnerAccountToken.Token, write);

        result.Should().Be(ResultStatus.Forbidden);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(TokenWrite.Deactivate)]
    [InlineData(TokenWrite.Activate)]
    [InlineData(TokenWrite.Rename)]
    [InlineData(TokenWrite.Delete)]
    public async Task TokenWrite_OwnerAccountReachesOwnerTokenThroughMemberAccount_NotFoundAndNothingSaved(TokenWrite write)
    {
        await using var fresh = await FreshWorld.StartAsync();
        await PrepareAsync(fresh, fresh.Team.SecondOwnerAccount, fresh.Team.SecondOwnerAccountToken.Token, write);
        var before = await fresh.StateAsync();

        var result = await WriteAsync(fresh, fresh.Team.OwnerAccountActor, fresh.Team.MemberAccount, fresh.Team.SecondOwnerAccountToken.Token, write);

        result.Should().Be(ResultStatus.NotFound);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task CreateAsync_OwnerAccountDemotedAfterAuthenticating_ForbiddenForOtherAccounts()
    {
        await using var fresh = await FreshWorld.StartAsync();
        CoreHost.Must(await fresh.Host.Accounts.ChangeRoleAsync(fresh.World.Ada, fresh.Team.Ref, fresh.Team.OwnerAccount.Id, Role.Member));
        var before = await fresh.StateAsync();

        var result = await fresh.Host.Tokens.CreateAsync(fresh.Team.OwnerAccountActor, fresh.Team.Ref, fresh.Team.MemberAccount.Id, NewToken());

        result.Status.Should().Be(ResultStatus.Forbidden);
        (await fresh.StateAsync()).Should().BeEquivalentTo(before);
    }

    private static NewToken NewToken() => new("ci", TokenExpiration.AfterDays(7));

    private static async Task DeactivateMemberTokenAsync(FreshWorld fresh) =>
        CoreHost.Must(await fresh.Host.Tokens.DeactivateAsync(fresh.World.Ada, fresh.Team.Ref, fresh.Team.MemberAccount.Id, fresh.Team.MemberAccountToken.Token.Id));

    /// <summary>Before an activation, the entity's owner deactivates the token, so that an allowed activation is a real change.</summary>
    private static async Task PrepareAsync(FreshWorld fresh, ServiceAccountView account, TokenView token, TokenWrite write)
    {
        if (write == TokenWrite.Activate)
        {
            CoreHost.Must(await fresh.Host.Tokens.DeactivateAsync(fresh.World.Ada, fresh.Team.Ref, account.Id, token.Id));
        }
    }

    /// <summary>One token write as <paramref name="actor"/>.</summary>
    private static async Task<ResultStatus> WriteAsync(FreshWorld fresh, Actor actor, ServiceAccountView account, TokenView token, TokenWrite write)
    {
        var tokens = fresh.Host.Tokens;
        var entity = fresh.Team.Ref;
        return write switch
        {
            TokenWrite.Create => (await tokens.CreateAsync(actor, entity, account.Id, NewToken())).Status,
            TokenWrite.Deactivate => (await tokens.DeactivateAsync(actor, entity, account.Id, token.Id)).Status,
            TokenWrite.Activate => (await tokens.ActivateAsync(actor, entity, account.Id, token.Id)).Status,
            TokenWrite.Rename => (await tokens.UpdateAsync(actor, entity, account.Id, token.Id, new TokenChanges(Title: "renamed"), null)).Status,
            TokenWrite.Delete => (await tokens.DeleteAsync(actor, entity, account.Id, token.Id)).Status,
            _ => throw new ArgumentOutOfRangeException(nameof(write), write, null),
        };
    }
}
