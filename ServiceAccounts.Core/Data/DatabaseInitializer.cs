using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Seed;
using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Core.Data;

/// <summary>At startup: create and migrate the database, put SQLite in WAL mode, add the reference data, seed the demo.</summary>
public sealed class DatabaseInitializer(AppDbContext db, RoleManager<IdentityRole> roles, DemoSeeder demo, IOptions<SeedOptions> seed, TimeProvider clock, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (db.Database.GetDbConnection() is SqliteConnection sqlite && new SqliteConnectionStringBuilder(sqlite.ConnectionString).DataSource is { Length: > 0 } file
            && file != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(file)) is { } directory)
        {
            Directory.CreateDirectory(directory);
            logger.LogInformation("Database: {File}", Path.GetFullPath(file));
        }
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }
        if (!await db.Tenants.AnyAsync(t => t.IsDefault, cancellationToken))
        {
            db.Tenants.Add(Tenant.CreateDefault(Ids.NewEntityId(), clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(cancellationToken);
        }
        if (!await roles.RoleExistsAsync(AppUser.SupportRole))
        {
            await roles.CreateAsync(new IdentityRole(AppUser.SupportRole));
        }
        if (seed.Value.Demo && !await db.Users.AnyAsync(cancellationToken))
        {
            await demo.SeedAsync(cancellationToken);
            logger.LogInformation("Demo data created; sign in as {Logins} with password {Password}.", string.Join(", ", DemoSeeder.Logins), DemoSeeder.Password);
        }
    }
}
