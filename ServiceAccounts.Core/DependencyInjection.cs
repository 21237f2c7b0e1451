using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Seed;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Support;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Core;

public static class DependencyInjection
{
    public const string DefaultConnectionString = "Data Source=serviceaccounts.db";

    /// <summary>
    /// The product: persistence (ConnectionStrings:Default, SQLite), the services, and Identity's user store.
    /// <paramref name="configureDb"/> lets tests add interceptors.
    /// </summary>
    public static IServiceCollection AddServiceAccountsCore(this IServiceCollection services, IConfiguration configuration, Action<DbContextOptionsBuilder>? configureDb = null)
    {
        var provider = configuration["Database:Provider"] ?? "Sqlite";
        if (!provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Database:Provider '{provider}' is not supported by this build; use Sqlite.");
        }
        var connectionString = configuration.GetConnectionString("Default") ?? DefaultConnectionString;
        // Pooled: a context per operation, without building one from scratch each time.
        services.AddPooledDbContextFactory<AppDbContext>(options =>
        {
            options.UseSqlite(connectionString);
            options.AddInterceptors(new SqlitePragmas());
            configureDb?.Invoke(options);
        });
        // Identity's stores want a scoped context; it comes from the same pool.
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Db>();
        services.AddSingleton<TenancyService>();
        services.AddSingleton<ServiceAccountService>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<TokenAuthenticator>();
        services.AddSingleton<SupportLookup>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ApiRequestRecorder>();
        services.AddHostedService(provider => provider.GetRequiredService<ApiRequestRecorder>());
        services.AddScoped<UserDirectory>();
        services.AddScoped<DatabaseInitializer>();
        services.AddScoped<DemoSeeder>();
        services.Configure<SeedOptions>(configuration.GetSection(SeedOptions.Section));

        services.AddIdentityCore<AppUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Lockout.MaxFailedAccessAttempts = 10;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                // There is no email server: accounts work without confirmation.
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>();
        return services;
    }
}
