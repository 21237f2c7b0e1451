using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Core.Seed;

/// <summary>
/// The demo data of DESIGN.md, made through the real services on a clock that walks through the last
/// few weeks, so the tokens have real digests and the audit history is a chain that verifies.
/// </summary>
public sealed class DemoSeeder(AppDbContext context, UserDirectory directory, UserManager<AppUser> users, IDbContextFactory<AppDbContext> factory, TimeProvider clock)
{
    public const string Password = "Passw0rd!demo";
    public const string OwnerEmail = "owner@example.com";
    public const string MemberEmail = "member@example.com";
    public const string SupportEmail = "support@example.com";
    public static readonly IReadOnlyList<string> Logins = [OwnerEmail, MemberEmail, SupportEmail];

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var seedClock = new SeedClock(now.AddDays(-28));
        var db = new Db(factory, seedClock);
        var tenancy = new TenancyService(db, seedClock);
        var accounts = new ServiceAccountService(db, seedClock);
        var tokens = new TokenService(db, seedClock);
        var audit = new AuditLog(db, seedClock);
        var authenticator = new TokenAuthenticator(factory, seedClock);

        var ada = await UserAsync(OwnerEmail, "Ada Owner");
        var max = await UserAsync(MemberEmail, "Max Member");
        var sam = await UserAsync(SupportEmail, "Sam Support");
        await users.AddToRoleAsync(sam, AppUser.SupportRole);
        var owner = Actor.User(ada.Id, ada.Handle, ada.DisplayName).From("198.51.100.23", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/17.5");

        var defaultTenant = await context.Tenants.FirstAsync(t => t.IsDefault, cancellationToken);
        var at = seedClock.Now;
        var sandbox = Org.Create(Ids.NewEntityId(), "sandbox", "Sandbox", defaultTenant, at);
        var acme = Tenant.CreateEnterprise(Ids.NewEntityId(), "acme", "Acme Corporation", at);
        var platform = Org.Create(Ids.NewEntityId(), "acme-platform", "Acme Platform", acme, at);
        context.AddRange(sandbox, acme, platform);
        foreach (var entity in new TenancyEntity[] { sandbox, acme, platform })
        {
            context.Memberships.Add(Membership.ForUser(entity.Id, ada.Id, Role.Owner, at));
            context.Memberships.Add(Membership.ForUser(entity.Id, max.Id, Role.Member, at));
        }
        await context.SaveChangesAsync(cancellationToken);

        var sandboxRef = sandbox.Ref;
        var acmeRef = acme.Ref;
        seedClock.Advance(TimeSpan.FromHours(2));
        Must(await tenancy.UpdateAuthenticationSettingsAsync(owner, acme.Handle, 90, Tenant.DefaultSessionTimeoutDays, 1, cancellationToken));

        seedClock.Advance(TimeSpan.FromDays(2));
        var ci = Must(await accounts.CreateAsync(owner, sandboxRef, new NewServiceAccount("CI Deployer", "Deploys the main branch from the CI pipeline."), cancellationToken));
        var ciToken = Must(await tokens.CreateAsync(owner, sandboxRef, ci.Handle, new NewToken("GitHub Actions", TokenExpiration.AfterDays(90)), cancellationToken));

        seedClock.Advance(TimeSpan.FromHours(5));
        var terraform = Must(await accounts.CreateAsync(owner, sandboxRef, new NewServiceAccount("Terraform Runner", "Applies infrastructure changes and rotates CI tokens."), cancellationToken));
        Must(await accounts.ChangeRoleAsync(owner, sandboxRef, terraform.Handle, Role.Owner, cancellationToken));
        var terraformToken = Must(await tokens.CreateAsync(owner, sandboxRef, terraform.Handle, new NewToken("Terraform Cloud", TokenExpiration.Never), cancellationToken));

        seedClock.Advance(TimeSpan.FromDays(1));
        var exporter = Must(await accounts.CreateAsync(owner, acmeRef, new NewServiceAccount("Metrics Exporter", "Pushes usage metrics to the observability stack."), cancellationToken));
        var oldExporterToken = Must(await tokens.CreateAsync(owner, acmeRef, exporter.Handle, new NewToken("Legacy exporter", TokenExpiration.AfterDays(30)), cancellationToken));
        context.Memberships.Add(Membership.ForServiceAccount(platform.Id, exporter.Id, Role.Member, seedClock.Now));
        await context.SaveChangesAsync(cancellationToken);

        var clients = new Dictionary<string, (string Secret, string Ip, string Agent, string[] Routes)>
        {
            [ci.Id] = (ciToken.Secret, "140.82.112.4", "GitHub-Actions/2.317 curl/8.5.0", ["GET /api/v0/actor", "GET /api/v0/{kind}/{handle}/member", "GET /api/v0/{kind}/{handle}/service_account"]),
            [terraform.Id] = (terraformToken.Secret, "52.86.200.106", "Terraform/1.8.5 terraform-provider-serviceaccounts/0.4.1", ["GET /api/v0/actor", "GET /api/v0/{kind}/{handle}/service_account", "GET /api/v0/{kind}/{handle}/service_account/{sa_id}/token"]),
            [exporter.Id] = (oldExporterToken.Secret, "10.20.4.17", "metrics-exporter/3.2.0 (+go1.22)", ["GET /api/v0/actor", "GET /api/v0/{kind}/{handle}/member"]),
        };
        var random = new Random(20261204);
        async Task ApiCallsAsync(int count)
        {
            foreach (var (_, client) in clients)
            {
                for (var i = 0; i < count; i++)
                {
                    seedClock.Advance(TimeSpan.FromMinutes(random.Next(7, 90)));
                    var authenticated = await authenticator.AuthenticateAsync(client.Secret, client.Ip, client.Agent, cancellationToken);
                    if (authenticated.Actor is { } actor)
                    {
                        var call = client.Routes[random.Next(client.Routes.Length)].Split(' ');
                        Must(await audit.RecordApiRequestAsync(actor, call[0], call[1], 200, cancellationToken));
                    }
                }
            }
        }

        await ApiCallsAsync(4);
        seedClock.Advance(TimeSpan.FromDays(3));
        var exporterToken = Must(await tokens.CreateAsync(owner, acmeRef, exporter.Handle, new NewToken("Prometheus remote write", TokenExpiration.AfterDays(90)), cancellationToken));
        await ApiCallsAsync(3);

        seedClock.Advance(TimeSpan.FromDays(4));
        ci = Must(await accounts.UpdateAsync(owner, sandboxRef, ci.Handle, new ServiceAccountChanges(null, "Deploys the main branch to production from GitHub Actions."), ci.Version, cancellationToken));
        // Someone pasted a mangled token into a pipeline: right id, wrong secret.
        await authenticator.AuthenticateAsync(TokenFormat.Generate(ciToken.Token.Id), "140.82.112.9", "curl/8.5.0", cancellationToken);
        await ApiCallsAsync(3);

        // The exporter moved to its new token; the old one is switched off, then tried once more by a forgotten cron job.
        seedClock.Advance(TimeSpan.FromDays(3));
        clients[exporter.Id] = clients[exporter.Id] with { Secret = exporterToken.Secret };
        Must(await tokens.DeactivateAsync(owner, acmeRef, exporter.Handle, oldExporterToken.Token.Id, cancellationToken));
        seedClock.Advance(TimeSpan.FromHours(6));
        await authenticator.AuthenticateAsync(oldExporterToken.Secret, "10.20.9.3", "curl/7.88.1", cancellationToken);

        // The last days, up to a few minutes ago.
        var days = (int)Math.Floor((now - seedClock.Now).TotalDays) - 1;
        for (var day = 0; day < days; day++)
        {
            await ApiCallsAsync(2);
            seedClock.Set(seedClock.Now.Date.AddDays(1).AddHours(8));
        }
        seedClock.Set(now.AddHours(-5));
        await ApiCallsAsync(1);
    }

    private async Task<AppUser> UserAsync(string email, string displayName) =>
        Must(await directory.RegisterAsync(email, displayName, Password));

    private static T Must<T>(Result<T> result) =>
        result.IsOk ? result.Value! : throw new InvalidOperationException($"Demo data could not be created: {result}");

    /// <summary>A clock the seeder moves forward by hand, never past the real now.</summary>
    private sealed class SeedClock(DateTime start) : TimeProvider
    {
        public DateTime Now { get; private set; } = start;

        public void Advance(TimeSpan by) => Now += by;

        public void Set(DateTime at) => Now = at > Now ? at : Now;

        public override DateTimeOffset GetUtcNow() => new(Now, TimeSpan.Zero);
    }
}
