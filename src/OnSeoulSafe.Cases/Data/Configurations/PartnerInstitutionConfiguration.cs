using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class PartnerInstitutionConfiguration : IEntityTypeConfiguration<PartnerInstitution>
{
    public void Configure(EntityTypeBuilder<PartnerInstitution> builder)
    {
        builder.ToTable("PartnerInstitutions");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.Contact).HasMaxLength(500);
        builder.HasIndex(p => new { p.Track, p.Name }).IsUnique();
    }
}

internal sealed class ReferralConfiguration : IEntityTypeConfiguration<Referral>
{
    public void Configure(EntityTypeBuilder<Referral> builder)
    {
        builder.ToTable("Referrals");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Note).IsEncrypted();
        builder.HasIndex(r => r.CaseId);
        builder.HasIndex(r => r.ServiceTrackId);
        builder.HasOne(r => r.PartnerInstitution).WithMany().HasForeignKey(r => r.PartnerInstitutionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(r => r.ReferredById).OnDelete(DeleteBehavior.Restrict);
    }
}
