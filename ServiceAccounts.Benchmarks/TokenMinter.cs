using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServiceAccounts.Core;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Benchmarks;

/// <summary>
/// <c>--mint-token</c>: creates a token for a service account through Core's TokenService, as an owner, in the
/// database the console uses, and prints its secret. Until the console has its Tokens page, this is how to get one.
/// </summary>
public static class TokenMinter
{
    public static async Task<int> RunAsync(string entity, string account, Options options)
    {
        var webFolder = FindWebFolder();
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(webFolder ?? AppContext.BaseDirectory, "..", "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var file = options.Database ?? DataSource(configuration.GetConnectionString("Default"));
        if (file is null)
        {
            Console.Error.WriteLine("No database: pass --db <file>.");
            return 2;
        }
        if (!Path.IsPathRooted(file) && options.Database is null)
        {
            file = Path.Combine(webFolder ?? Directory.GetCurrentDirectory(), file);
        }
        file = Path.GetFullPath(file);
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"No database at {file}: run the console once (dotnet run --project ServiceAccounts.Web) to create it, or pass --db <file>.");
            return 2;
        }
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = $"Data Source={file}",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddServiceAccountsCore(settings);
        await using var provider = services.BuildServiceProvider();
        ServiceAccounts.Core.Security.Actor owner;
        try
        {
            owner = await BenchApp.UserActorAsync(provider, options.MintAs);
        }
        catch (InvalidOperationException exception)
        {
            Console.Error.WriteLine($"{exception.Message} ({file})");
            return 1;
        }
        var tokens = provider.GetRequiredService<TokenService>();
        var input = new NewToken("minted on the command line", TokenExpiration.AfterDays(options.Days));
        Result<CreatedToken> created;
        string where;
        if (entity.Split('/', 2) is ["org" or "tenant", var handle])
        {
            var named = new EntityRef(entity.StartsWith("org/", StringComparison.Ordinal) ? EntityKind.Org : EntityKind.Tenant, handle);
            where = entity;
            created = await tokens.CreateAsync(owner, named, account, input);
        }
        else
        {
            where = $"org/{entity}";
            created = await tokens.CreateAsync(owner, EntityRef.Org(entity), account, input);
            if (created.Status == ResultStatus.NotFound)
            {
                where = $"tenant/{entity}";
                created = await tokens.CreateAsync(owner, new EntityRef(EntityKind.Tenant, entity), account, input);
            }
        }
        SqliteConnection.ClearAllPools();
        if (!created.IsOk)
        {
            Console.Error.WriteLine($"Could not create a token for {account} in {entity} as {options.MintAs}: {created}");
            return 1;
        }
        var token = created.Value!;
        Console.Error.WriteLine($"Created token {token.Token.Id} (last4 {token.Token.Last4}, expires {token.Token.ExpiresAt:yyyy-MM-dd HH:mm} UTC) for {where}/{account} as {options.MintAs} in {file}.");
        Console.Error.WriteLine("The secret is shown once; it is not stored:");
        Console.WriteLine(token.Secret);
        return 0;
    }

    private static string? DataSource(string? connectionString) =>
        connectionString is null ? null : new SqliteConnectionStringBuilder(connectionString).DataSource;

    /// <summary>ServiceAccounts.Web/ of the repository this runs from (the working directory or above it).</summary>
    private static string? FindWebFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ServiceAccounts.sln")))
                {
                    return Path.Combine(dir.FullName, "ServiceAccounts.Web");
                }
            }
        }
        return null;
    }
}
