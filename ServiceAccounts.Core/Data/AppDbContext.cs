using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Core.Data;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : IdentityDbContext<AppUser>(options)
{
    public DbSet<TenancyEntity> Entities => Set<TenancyEntity>();
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<Org> Orgs => Set<Org>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<HandleClaim> HandleClaims => Set<HandleClaim>();
    public DbSet<ServiceAccount> ServiceAccounts => Set<ServiceAccount>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();
    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every instant is UTC; SQLite stores text without a kind, so give it back on the way in.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcConverter>();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (PendingAuditRecords().Count > 0)
        {
            throw new InvalidOperationException("Audit records are sealed asynchronously: use SaveChangesAsync.");
        }
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>
    /// Saves the changes together with their audit records, which are chained (sequence, previous hash)
    /// inside the same transaction, so a change and its record land together or not at all.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var pending = PendingAuditRecords();
        if (pending.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        if (Database.CurrentTransaction is not null)
        {
            await SealAsync(pending, cancellationToken);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        // Taking the write lock before reading the chain's head keeps two writers from claiming one sequence number.
        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        await SealAsync(pending, cancellationToken);
        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    private List<AuditRecord> PendingAuditRecords() =>
        ChangeTracker.Entries<AuditRecord>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();

    private async Task SealAsync(List<AuditRecord> pending, CancellationToken cancellationToken)
    {
        foreach (var chain in pending.GroupBy(r => r.EntityId))
        {
            var head = await AuditChainHeads.FirstOrDefaultAsync(h => h.EntityId == chain.Key, cancellationToken);
            if (head is null)
            {
                head = new AuditChainHead(chain.Key);
                AuditChainHeads.Add(head);
            }
            var sequence = head.Sequence;
            var previous = head.Hash;
            foreach (var record in chain)
            {
                record.Seal(++sequence, previous);
                previous = record.Hash;
            }
            head.MoveTo(sequence, previous);
        }
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? (v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime()) : v,
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}
