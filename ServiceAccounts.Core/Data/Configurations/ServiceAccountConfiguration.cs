using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Core.Data.Configurations;

internal sealed class ServiceAccountConfiguration : IEntityTypeConfiguration<ServiceAccount>
{
    public void Configure(EntityTypeBuilder<ServiceAccount> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(32);
        builder.Property(s => s.Handle).HasMaxLength(Handles.MaxLength).IsRequired();
        builder.HasIndex(s => s.Handle).IsUnique();
        builder.Property(s => s.Title).HasMaxLength(ServiceAccount.TitleMaxLength).IsRequired();
        builder.Property(s => s.Description).HasMaxLength(ServiceAccount.DescriptionMaxLength).IsRequired();
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasOne(s => s.BillingEntity).WithMany().HasForeignKey(s => s.BillingEntityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => s.BillingEntityId);
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(32);
        builder.Property(t => t.Title).HasMaxLength(ApiToken.TitleMaxLength);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Last4).HasMaxLength(4).IsFixedLength();
        builder.Property(t => t.SecretDigest).HasMaxLength(32).IsRequired();
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.HasOne<ServiceAccount>().WithMany().HasForeignKey(t => t.ServiceAccountId).OnDelete(DeleteBehavior.Cascade);
        // The 2-token limit, kept by the database itself: two slots per account, each used once.
        builder.HasIndex(t => new { t.ServiceAccountId, t.Slot }).IsUnique();
        builder.ToTable(t => t.HasCheckConstraint("CK_ApiTokens_Slot", $"\"Slot\" >= 0 AND \"Slot\" < {ApiToken.MaxPerServiceAccount}"));
    }
}

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.EntityId).HasMaxLength(32).IsRequired();
        builder.Property(r => r.ActionType).HasMaxLength(64).IsRequired();
        builder.Property(r => r.ActorType).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.ActorIp).HasMaxLength(64);
        builder.Property(r => r.ActorUserAgent).HasMaxLength(512);
        builder.Property(r => r.PrevHash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(r => r.Hash).HasMaxLength(64).IsFixedLength().IsRequired();
        // No foreign keys: the history outlives the accounts and tokens it is about.
        builder.HasIndex(r => new { r.EntityId, r.Sequence }).IsUnique();
        builder.HasIndex(r => new { r.IdentityId, r.Id });
        // The Audit Log's action and token filters, each read newest first within one account (AuditLog.Filter).
        // No (IdentityId, CreatedAt) index: pages are in id order, so SQLite would sort every record of a period
        // (seconds for "since March" at a million records) where the id scan stops at the page's end.
        // Measured in README "Audit log at a million records".
        builder.HasIndex(r => new { r.IdentityId, r.ActionType, r.Id });
        builder.HasIndex(r => new { r.IdentityId, r.TokenId, r.Id });
    }
}

internal sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> builder)
    {
        builder.HasKey(h => h.EntityId);
        builder.Property(h => h.EntityId).HasMaxLength(32);
        builder.Property(h => h.Hash).HasMaxLength(64).IsFixedLength().IsRequired();
        // Two writers that read the same head can't both move it: the loser's transaction fails and saves nothing.
        builder.Property(h => h.Sequence).IsConcurrencyToken();
    }
}
