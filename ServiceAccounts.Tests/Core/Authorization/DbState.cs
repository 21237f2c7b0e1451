using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Authorization;

/// <summary>
/// Everything a refused call could have left behind (rule 8): entities, memberships, handles, accounts,
/// tokens, tenant settings and audit records. Activity timestamps are left out: reading them is not a change.
/// </summary>
public sealed record DbState(
    IReadOnlyList<string> Entities,
    IReadOnlyList<string> Memberships,
    IReadOnlyList<string> HandleClaims,
    IReadOnlyList<string> ServiceAccounts,
    IReadOnlyList<string> Tokens,
    IReadOnlyList<string> Tenants,
    IReadOnlyList<string> AuditRecords)
{
    public static async Task<DbState> CaptureAsync(CoreHost host)
    {
        await using var db = host.NewContext();
        var entities = await db.Entities.OrderBy(e => e.Id).Select(e => e.Id + " " + e.Handle + " " + e.DisplayName).ToListAsync();
        var memberships = (await db.Memberships.OrderBy(m => m.Id).Select(m => new { m.Id, m.EntityId, m.UserId, m.ServiceAccountId, m.Role }).ToListAsync())
            .Select(m => $"{m.Id} {m.EntityId} {m.UserId}{m.ServiceAccountId} {m.Role}").ToList();
        var claims = await db.HandleClaims.OrderBy(c => c.Handle).Select(c => c.Handle + " " + c.OwnerId).ToListAsync();
        var accounts = (await db.ServiceAccounts.OrderBy(s => s.Id).Select(s => new { s.Id, s.Handle, s.Title, s.Description, s.Version, s.UpdatedAt, s.UpdatedByHandle }).ToListAsync())
            .Select(s => $"{s.Id} {s.Handle} {s.Title} {s.Description} v{s.Version} {s.UpdatedAt:O} {s.UpdatedByHandle}").ToList();
        var tokens = (await db.ApiTokens.OrderBy(t => t.Id).Select(t => new { t.Id, t.ServiceAccountId, t.Title, t.Status, t.ExpiresAt, t.Version, t.UpdatedByHandle }).ToListAsync())
            .Select(t => $"{t.Id} {t.ServiceAccountId} {t.Title} {t.Status} {t.ExpiresAt:O} v{t.Version} {t.UpdatedByHandle}").ToList();
        var tenants = (await db.Tenants.OrderBy(t => t.Id).Select(t => new { t.Id, t.MaxTokenExpirationDays, t.SessionTimeoutDays, t.AuthenticationResetAt, t.Version }).ToListAsync())
            .Select(t => $"{t.Id} {t.MaxTokenExpirationDays} {t.SessionTimeoutDays} {t.AuthenticationResetAt:O} v{t.Version}").ToList();
        var records = (await db.AuditRecords.OrderBy(r => r.Id).Select(r => new { r.Id, r.ActionType, r.Hash }).ToListAsync())
            .Select(r => $"{r.Id} {r.ActionType} {r.Hash}").ToList();
        return new DbState(entities, memberships, claims, accounts, tokens, tenants, records);
    }

    public static async Task<IReadOnlyList<string>> AuditActionsAsync(CoreHost host, int afterCount = 0)
    {
        await using var db = host.NewContext();
        return await db.AuditRecords.OrderBy(r => r.Id).Skip(afterCount).Select(r => r.ActionType).ToListAsync();
    }
}

/// <summary>A world of its own, for a test that writes; disposing it deletes its database.</summary>
public sealed class FreshWorld : IAsyncDisposable
{
    private FreshWorld(CoreHost host, World world)
    {
        Host = host;
        World = world;
    }

    public CoreHost Host { get; }
    public World World { get; }
    public ManagedEntity Team => World.Team;

    public static async Task<FreshWorld> StartAsync()
    {
        var host = await CoreHost.StartAsync();
        try
        {
            return new FreshWorld(host, await World.CreateAsync(host));
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public Task<DbState> StateAsync() => DbState.CaptureAsync(Host);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
