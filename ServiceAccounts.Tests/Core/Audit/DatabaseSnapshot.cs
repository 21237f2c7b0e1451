using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Audit;

/// <summary>Everything a service-account operation can change, read in a fresh context: two equal snapshots mean nothing changed.</summary>
internal sealed record DatabaseSnapshot(
    IReadOnlyList<string> Accounts,
    IReadOnlyList<string> Tokens,
    IReadOnlyList<string> Memberships,
    IReadOnlyList<string> HandleClaims,
    IReadOnlyList<string> AuditRecords)
{
    public static async Task<DatabaseSnapshot> TakeAsync(CoreHost host)
    {
        await using var db = host.NewContext();
        return new DatabaseSnapshot(
            (await db.ServiceAccounts.AsNoTracking().OrderBy(s => s.Id).ToListAsync())
                .Select(s => $"{s.Id}|{s.Handle}|{s.Title}|{s.Description}|{s.Version}|{s.UpdatedAt:O}|{s.UpdatedByHandle}").ToList(),
            (await db.ApiTokens.AsNoTracking().OrderBy(t => t.Id).ToListAsync())
                .Select(t => $"{t.Id}|{t.ServiceAccountId}|{t.Slot}|{t.Title}|{t.Status}|{t.ExpiresAt:O}|{t.Version}|{t.UpdatedAt:O}").ToList(),
            (await db.Memberships.AsNoTracking().OrderBy(m => m.Id).ToListAsync())
                .Select(m => $"{m.Id}|{m.EntityId}|{m.UserId}|{m.ServiceAccountId}|{m.Role}").ToList(),
            (await db.HandleClaims.AsNoTracking().OrderBy(c => c.Handle).ToListAsync())
                .Select(c => $"{c.Handle}|{c.OwnerId}").ToList(),
            (await db.AuditRecords.AsNoTracking().OrderBy(r => r.Id).ToListAsync())
                .Select(r => $"{r.Id}|{r.Sequence}|{r.Hash}").ToList());
    }
}
