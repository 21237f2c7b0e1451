using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServiceAccounts.Core;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Tests.TestSupport;

/// <summary>
/// ServiceAccounts.Core on a fresh SQLite file of its own (migrated, no demo data), with a test clock.
/// Helpers build the people, entities and accounts a test needs through the real services.
/// </summary>
public sealed class CoreHost : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    private CoreHost(string databasePath, ServiceProvider provider)
    {
        DatabasePath = databasePath;
        this.provider = provider;
    }

    public string DatabasePath { get; }
    public TestClock Clock => (TestClock)provider.GetRequiredService<TimeProvider>();
    public IServiceProvider Services => provider;
    public TenancyService Tenancy => provider.GetRequiredService<TenancyService>();
    public ServiceAccountService Accounts => provider.GetRequiredService<ServiceAccountService>();
    public TokenService Tokens => provider.GetRequiredService<TokenService>();
    public TokenAuthenticator Authenticator => provider.GetRequiredService<TokenAuthenticator>();
    public AuditLog Audit => provider.GetRequiredService<AuditLog>();

    /// <param name="configureDb">Extra EF options, e.g. an interceptor that injects a failure.</param>
    public static async Task<CoreHost> StartAsync(Action<DbContextOptionsBuilder>? configureDb = null, bool demo = false)
    {
        var path = Path.Combine(Path.GetTempPath(), "sa-tests", Guid.NewGuid().ToString("N") + ".db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = $"Data Source={path};Pooling=False",
            ["Seed:Demo"] = demo ? "true" : "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(new TestClock());
        services.AddServiceAccountsCore(configuration, configureDb);
        var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        }
        return new CoreHost(path, provider);
    }

    public AppDbContext NewContext() => provider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();

    /// <summary>Registers a person and returns the actor they act as.</summary>
    public async Task<Actor> UserAsync(string handleHint, bool support = false)
    {
        await using var scope = provider.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<UserDirectory>();
        var user = Must(await directory.RegisterAsync($"{handleHint}@example.test", handleHint.Replace('-', ' '), "Passw0rd!test"));
        if (support)
        {
            await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().AddToRoleAsync(user, AppUser.SupportRole);
        }
        return (await directory.ActorForAsync(user.Id))!;
    }

    /// <summary>A Team-plan org owned by <paramref name="owner"/>.</summary>
    public async Task<EntityRef> OrgAsync(Actor owner, string handle) =>
        Must(await Tenancy.CreateOrgAsync(owner, handle, handle)).Ref;

    /// <summary>An Enterprise tenant (optionally with a Maximum Token Expiration) owned by <paramref name="owner"/>.</summary>
    public async Task<EntityRef> EnterpriseTenantAsync(Actor owner, string handle, int? maxTokenExpirationDays = null)
    {
        await using var db = NewContext();
        var tenant = Tenant.CreateEnterprise(Ids.NewEntityId(), handle, handle, Clock.UtcNow);
        db.Tenants.Add(tenant);
        db.Memberships.Add(Membership.ForUser(tenant.Id, owner.Id!, Role.Owner, Clock.UtcNow));
        await db.SaveChangesAsync();
        if (maxTokenExpirationDays is not null)
        {
            Must(await Tenancy.UpdateAuthenticationSettingsAsync(owner, handle, maxTokenExpirationDays, Tenant.DefaultSessionTimeoutDays, 1));
        }
        return EntityRef.Tenant(handle);
    }

    /// <summary>An org inside an Enterprise tenant.</summary>
    public async Task<EntityRef> EnterpriseOrgAsync(Actor owner, string tenantHandle, string handle)
    {
        await using var db = NewContext();
        var tenant = await db.Tenants.SingleAsync(t => t.Handle == tenantHandle);
        var org = Org.Create(Ids.NewEntityId(), handle, handle, tenant, Clock.UtcNow);
        db.Orgs.Add(org);
        db.Memberships.Add(Membership.ForUser(org.Id, owner.Id!, Role.Owner, Clock.UtcNow));
        await db.SaveChangesAsync();
        return EntityRef.Org(handle);
    }

    public async Task AddMemberAsync(EntityRef entity, Actor user, Role role = Role.Member)
    {
        await using var db = NewContext();
        var entityId = await db.Entities.Where(e => e.Handle == entity.Handle && (entity.Kind == EntityKind.Org ? e is Org : e is Tenant)).Select(e => e.Id).SingleAsync();
        db.Memberships.Add(user.Type == ActorType.ServiceAccount
            ? Membership.ForServiceAccount(entityId, user.Id!, role, Clock.UtcNow)
            : Membership.ForUser(entityId, user.Id!, role, Clock.UtcNow));
        await db.SaveChangesAsync();
    }

    /// <summary>A service account created by <paramref name="owner"/>, with the given role.</summary>
    public async Task<ServiceAccountView> AccountAsync(Actor owner, EntityRef entity, string title, Role role = Role.Member)
    {
        var account = Must(await Accounts.CreateAsync(owner, entity, new NewServiceAccount(title, null)));
        return role == Role.Owner ? Must(await Accounts.ChangeRoleAsync(owner, entity, account.Handle, Role.Owner)) : account;
    }

    /// <summary>Creates a token and authenticates with it: the actor the API would see.</summary>
    public async Task<(Actor Actor, CreatedToken Token)> TokenActorAsync(Actor owner, EntityRef entity, string accountHandle)
    {
        var token = Must(await Tokens.CreateAsync(owner, entity, accountHandle, new NewToken("test", TokenExpiration.AfterDays(30))));
        var authenticated = await Authenticator.AuthenticateAsync(token.Secret);
        return (authenticated.Actor ?? throw new InvalidOperationException(authenticated.Describe()), token);
    }

    public static T Must<T>(Result<T> result) =>
        result.IsOk ? result.Value! : throw new InvalidOperationException($"Test setup failed: {result}");

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try
            {
                File.Delete(DatabasePath + suffix);
            }
            catch (IOException)
            {
            }
        }
    }
}
