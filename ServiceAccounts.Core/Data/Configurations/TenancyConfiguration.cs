using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Core.Data.Configurations;

internal sealed class TenancyEntityConfiguration : IEntityTypeConfiguration<TenancyEntity>
{
    public void Configure(EntityTypeBuilder<TenancyEntity> builder)
    {
        builder.ToTable("Entities");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(32);
        builder.HasDiscriminator<string>("EntityKind").HasValue<Tenant>("tenant").HasValue<Org>("org");
        builder.Property("EntityKind").HasMaxLength(8);
        builder.Property(e => e.Handle).HasMaxLength(Handles.MaxLength).IsRequired();
        builder.Property(e => e.DisplayName).HasMaxLength(TenancyEntity.DisplayNameMaxLength).IsRequired();
        builder.Property(e => e.Plan).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex("EntityKind", nameof(TenancyEntity.Handle)).IsUnique();
        builder.Ignore(e => e.Kind);
        builder.Ignore(e => e.Ref);
        builder.Ignore(e => e.IsBillingEntity);
        builder.Ignore(e => e.TenantId);
    }
}

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.Property(t => t.Version).IsConcurrencyToken();
    }
}

internal sealed class OrgConfiguration : IEntityTypeConfiguration<Org>
{
    public void Configure(EntityTypeBuilder<Org> builder)
    {
        builder.Property(o => o.ParentTenantId).HasMaxLength(32);
        builder.HasOne(o => o.ParentTenant).WithMany().HasForeignKey(o => o.ParentTenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> builder)
    {
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        builder.HasOne(m => m.Entity).WithMany().HasForeignKey(m => m.EntityId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ServiceAccount>().WithMany().HasForeignKey(m => m.ServiceAccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => new { m.EntityId, m.UserId }).IsUnique();
        builder.HasIndex(m => new { m.EntityId, m.ServiceAccountId }).IsUnique();
        builder.HasIndex(m => m.UserId);
        builder.HasIndex(m => m.ServiceAccountId);
        builder.ToTable(t => t.HasCheckConstraint("CK_Memberships_OneMember", "(\"UserId\" IS NULL) <> (\"ServiceAccountId\" IS NULL)"));
    }
}

internal sealed class HandleClaimConfiguration : IEntityTypeConfiguration<HandleClaim>
{
    public void Configure(EntityTypeBuilder<HandleClaim> builder)
    {
        builder.HasKey(c => c.Handle);
        builder.Property(c => c.Handle).HasMaxLength(Handles.MaxLength);
        builder.Property(c => c.OwnerId).HasMaxLength(32);
        builder.HasIndex(c => c.OwnerId).IsUnique();
    }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(AppUser.DisplayNameMaxLength).IsRequired();
        builder.Property(u => u.Handle).HasMaxLength(Handles.MaxLength).IsRequired();
        builder.HasIndex(u => u.Handle).IsUnique();
    }
}
