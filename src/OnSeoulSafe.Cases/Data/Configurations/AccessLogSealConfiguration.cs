using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class AccessLogSealConfiguration : IEntityTypeConfiguration<AccessLogSeal>
{
    public void Configure(EntityTypeBuilder<AccessLogSeal> builder)
    {
        builder.ToTable("AccessLogSeals");
        builder.HasKey(s => s.SealNumber);
        // Numbers are drawn by the sealer under its lock: no identity, a gap is a missing link.
        builder.Property(s => s.SealNumber).ValueGeneratedNever();
        builder.Property(s => s.PreviousHash).HasMaxLength(32);
        builder.Property(s => s.Hash).HasMaxLength(32);
        // Each entry is sealed once; the sealer finds unsealed entries through this index.
        builder.HasIndex(s => s.EntryId).IsUnique();
        // No foreign key to the log: a deleted entry must show up as a broken link, not block the delete.
    }
}
