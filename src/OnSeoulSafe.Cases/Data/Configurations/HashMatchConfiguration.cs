using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class HashMatchConfiguration : IEntityTypeConfiguration<HashMatch>
{
    public void Configure(EntityTypeBuilder<HashMatch> builder)
    {
        builder.ToTable("HashMatches");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Sha256).HasMaxLength(64);
        builder.Property(m => m.Kind).HasMaxLength(40);
        builder.Property(m => m.MatchedHash).HasMaxLength(64);
        // One flag per case, file and source: a file seen again does not pile up flags.
        builder.HasIndex(m => new { m.CaseId, m.Sha256, m.Source }).IsUnique();
        builder.HasOne<Case>().WithMany().HasForeignKey(m => m.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(m => m.AcknowledgedById).OnDelete(DeleteBehavior.Restrict);
    }
}
