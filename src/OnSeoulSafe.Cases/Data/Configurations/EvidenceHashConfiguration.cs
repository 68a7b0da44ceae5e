using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class EvidenceHashConfiguration : IEntityTypeConfiguration<EvidenceHash>
{
    public void Configure(EntityTypeBuilder<EvidenceHash> builder)
    {
        builder.ToTable("EvidenceHashes");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Sha256).HasMaxLength(64);
        builder.HasIndex(e => new { e.CaseId, e.Sha256 }).IsUnique();
        // Finds the same file reported on another case.
        builder.HasIndex(e => e.Sha256);
        builder.HasOne<Case>().WithMany().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
