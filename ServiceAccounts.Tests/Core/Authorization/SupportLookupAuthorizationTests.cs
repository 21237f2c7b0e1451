using Microsoft.Extensions.DependencyInjection;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Support;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Authorization;

/// <summary>
/// The authorization matrix of <see cref="SupportLookup"/> (rule 7): support staff look anything up, read-only;
/// everyone else is refused, even about what they own, so the lookup can't become a way around rule 1.
/// </summary>
public sealed class SupportLookupAuthorizationTests(SharedWorld shared) : IClassFixture<SharedWorld>
{
    private World World => shared.World;
    private SupportLookup Lookup => shared.World.Host.Services.GetRequiredService<SupportLookup>();

    // FindAsync

    [Theory]
    [InlineData(Who.Support)]
    public async Task FindAsync_Support_OkFindsAnyEntityAccountAndTokenAndWritesNothing(Who who)
    {
        var actor = World.Team.As(who);
        var before = await DbState.CaptureAsync(World.Host);

        var entity = await Lookup.FindAsync(actor, World.OtherHandle);
        var account = await Lookup.FindAsync(actor, World.Team.MemberAccount.Handle);
        var token = await Lookup.FindAsync(actor, World.Team.MemberAccountToken.Secret);

        CoreHost.Must(entity).Entities.Should().ContainSingle().Which.Ref.Should().Be(World.OtherOrg);
        CoreHost.Must(account).Accounts.Should().ContainSingle().Which.Account.Id.Should().Be(World.Team.MemberAccount.Id);
        CoreHost.Must(token).Tokens.Should().ContainSingle().Which.WouldAuthenticate.Should().BeTrue();
        (await DbState.CaptureAsync(World.Host)).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.Member)]
    [InlineData(Who.OtherOwner)]
    [InlineData(Who.OwnerAccount)]
    [InlineData(Who.MemberAccount)]
    [InlineData(Who.Anonymous)]
    public async Task FindAsync_AnyoneButSupport_ForbiddenEvenForTheirOwnAccount(Who who)
    {
        var actor = World.Team.As(who);

        var result = await Lookup.FindAsync(actor, World.Team.MemberAccount.Handle);

        result.Status.Should().Be(ResultStatus.Forbidden);
        result.Value.Should().BeNull();
    }

    [Theory]
    [InlineData(Who.Owner)]
    [InlineData(Who.Anonymous)]
    public async Task FindAsync_AnyoneButSupportWithAToken_ForbiddenWithoutAVerdict(Who who)
    {
        // A verdict would let anyone holding a token string probe it without the API's failed-attempt limit.
        var result = await Lookup.FindAsync(World.Team.As(who), World.Team.MemberAccountToken.Secret);

        result.Status.Should().Be(ResultStatus.Forbidden);
        result.Value.Should().BeNull();
    }
}
