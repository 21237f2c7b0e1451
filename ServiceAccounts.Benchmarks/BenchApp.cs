using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Benchmarks;

/// <summary>
/// The real app (Program) served by Kestrel on 127.0.0.1 and a free port, Production environment, logging at
/// Warning, on a fresh SQLite file of its own that is created, migrated and seeded with the demo data at start-up.
/// </summary>
public sealed class BenchApp : WebApplicationFactory<Program>
{
    public BenchApp()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public string DatabasePath { get; } = Path.Combine(Path.GetTempPath(), "sa-bench", $"bench-{Guid.NewGuid():N}.db");

    /// <summary>The address Kestrel listens on, e.g. http://127.0.0.1:41234.</summary>
    public Uri Address { get; private set; } = null!;

    public string EnvironmentName => Services.GetRequiredService<IHostEnvironment>().EnvironmentName;

    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Address = new Uri(addresses.First());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Production);
        builder.UseSetting("ConnectionStrings:Default", $"Data Source={DatabasePath}");
        builder.UseSetting("Seed:Demo", "true");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    /// <summary>A token for <paramref name="account"/>, created through Core's TokenService as the demo owner.</summary>
    public async Task<CreatedToken> MintTokenAsync(EntityRef entity, string account, string title)
    {
        var ada = await UserActorAsync(Services, "owner@example.com");
        var created = await Services.GetRequiredService<TokenService>().CreateAsync(ada, entity, account, new NewToken(title, TokenExpiration.AfterDays(30)));
        return created.IsOk ? created.Value! : throw new InvalidOperationException($"Could not create a token: {created}");
    }

    public static async Task<Actor> UserActorAsync(IServiceProvider services, string email)
    {
        await using var scope = services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email)
            ?? throw new InvalidOperationException($"No user {email} in this database.");
        return await scope.ServiceProvider.GetRequiredService<UserDirectory>().ActorForAsync(user.Id)
            ?? throw new InvalidOperationException($"No actor for {email}.");
    }

    /// <summary>Waits for Core's ApiRequestRecorder to save what is queued, then counts the api.request records.</summary>
    public async Task<int> CountApiRequestRecordsAsync()
    {
        await Services.GetRequiredService<ApiRequestRecorder>().FlushAsync();
        await using var db = await Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.AuditRecords.CountAsync(r => r.ActionType == AuditActions.ApiRequest);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
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
