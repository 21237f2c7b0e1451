using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Authorization;

/// <summary>The seven kinds of caller of the authorization matrix (STYLE.md, Tests).</summary>
public enum Who
{
    /// <summary>A person who owns the billing entity.</summary>
    Owner,

    /// <summary>A person who is a plain member of the billing entity.</summary>
    Member,

    /// <summary>A person who owns another entity and has nothing to do with this one.</summary>
    OtherOwner,

    /// <summary>Support staff: a platform role, not a member of anything.</summary>
    Support,

    /// <summary>An owner-role service account of the billing entity, authenticated by its token.</summary>
    OwnerAccount,

    /// <summary>A member-role service account of the billing entity, authenticated by its token.</summary>
    MemberAccount,

    Anonymous,
}

/// <summary>One billing entity of the world with its service accounts, each with a token.</summary>
public sealed record ManagedEntity(
    World World,
    EntityRef Ref,
    ServiceAccountView OwnerAccount,
    Actor OwnerAccountActor,
    CreatedToken OwnerAccountToken,
    ServiceAccountView MemberAccount,
    Actor MemberAccountActor,
    CreatedToken MemberAccountToken,
    ServiceAccountView SecondOwnerAccount,
    CreatedToken SecondOwnerAccountToken)
{
    /// <summary>The actor a caller of kind <paramref name="who"/> acts as towards this entity.</summary>
    public Actor As(Who who) => who switch
    {
        Who.Owner => World.Ada,
        Who.Member => World.Max,
        Who.OtherOwner => World.Olga,
        Who.Support => World.Sam,
        Who.OwnerAccount => OwnerAccountActor,
        Who.MemberAccount => MemberAccountActor,
        Who.Anonymous => Actor.Anonymous,
        _ => throw new ArgumentOutOfRangeException(nameof(who), who, null),
    };
}

/// <summary>
/// Everyone the authorization matrix needs, built through the real services:
/// Team-plan org <c>acme-team</c> (owner Ada, member Max) and Enterprise tenant <c>acme-corp</c>
/// (Maximum Token Expiration 90 days; owner Ada, member Max), each with an owner-role, a second owner-role
/// and a member-role service account that all have a token; org <c>other</c> owned by Olga; support Sam.
/// </summary>
public sealed class World
{
    public const string TeamHandle = "acme-team";
    public const string TenantHandle = "acme-corp";
    public const string OtherHandle = "other";
    public const int TenantMaxDays = 90;

    private World(CoreHost host, Actor ada, Actor max, Actor olga, Actor sam)
    {
        Host = host;
        Ada = ada;
        Max = max;
        Olga = olga;
        Sam = sam;
    }

    public CoreHost Host { get; }
    public Actor Ada { get; }
    public Actor Max { get; }
    public Actor Olga { get; }
    public Actor Sam { get; }
    public EntityRef OtherOrg { get; } = EntityRef.Org(OtherHandle);

    /// <summary>The Team-plan org: where the service-account, token and audit matrices run.</summary>
    public ManagedEntity Team { get; private set; } = null!;

    /// <summary>The Enterprise tenant: where the tenant-settings matrix runs.</summary>
    public ManagedEntity Enterprise { get; private set; } = null!;

    public static async Task<World> CreateAsync(CoreHost host)
    {
        var world = new World(
            host,
            await PersonAsync(host, "ada-owner"),
            await PersonAsync(host, "max-member"),
            await PersonAsync(host, "olga-other"),
            await PersonAsync(host, "sam-support", support: true));

        var team = await host.OrgAsync(world.Ada, TeamHandle);
        await host.AddMemberAsync(team, world.Max);
        await host.OrgAsync(world.Olga, OtherHandle);
        await host.AccountAsync(world.Olga, world.OtherOrg, "Other Bot");
        world.Team = await AccountsAsync(world, team, "Team");

        var tenant = await host.EnterpriseTenantAsync(world.Ada, TenantHandle, TenantMaxDays);
        await host.AddMemberAsync(tenant, world.Max);
        world.Enterprise = await AccountsAsync(world, tenant, "Corp");
        return world;
    }

    /// <summary>
    /// Like <see cref="CoreHost.UserAsync"/>, but without a password: nobody signs in here, and hashing four
    /// passwords (PBKDF2) per world was most of the time of the write tests, which each build a world.
    /// </summary>
    private static async Task<Actor> PersonAsync(CoreHost host, string handleHint, bool support = false)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<UserDirectory>();
        var user = CoreHost.Must(await directory.RegisterAsync($"{handleHint}@example.test", handleHint.Replace('-', ' '), password: null));
        if (support)
        {
            (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().AddToRoleAsync(user, AppUser.SupportRole)).Succeeded.Should().BeTrue();
        }
        return (await directory.ActorForAsync(user.Id))!;
    }

    private static async Task<ManagedEntity> AccountsAsync(World world, EntityRef entity, string prefix)
    {
        var host = world.Host;
        var owner = await host.AccountAsync(world.Ada, entity, $"{prefix} Owner Bot", Role.Owner);
        var member = await host.AccountAsync(world.Ada, entity, $"{prefix} Member Bot");
        var secondOwner = await host.AccountAsync(world.Ada, entity, $"{prefix} Second Owner Bot", Role.Owner);
        var (ownerActor, ownerToken) = await host.TokenActorAsync(world.Ada, entity, owner.Handle);
        var (memberActor, memberToken) = await host.TokenActorAsync(world.Ada, entity, member.Handle);
        var (_, secondOwnerToken) = await host.TokenActorAsync(world.Ada, entity, secondOwner.Handle);
        return new ManagedEntity(world, entity, owner, ownerActor, ownerToken, member, memberActor, memberToken, secondOwner, secondOwnerToken);
    }
}

/// <summary>A world shared by the read-only tests of one class; tests that write build their own.</summary>
public sealed class SharedWorld : IAsyncLifetime
{
    private CoreHost? host;

    public World World { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        host = await CoreHost.StartAsync();
        World = await World.CreateAsync(host);
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }
}
