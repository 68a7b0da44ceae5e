using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class GuardianConfiguration : IEntityTypeConfiguration<Guardian>
{
    public void Configure(EntityTypeBuilder<Guardian> builder)
    {
        builder.ToTable("Guardians");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Contact).IsEncrypted();
        // One row per relation and case: what she said last about that guardian.
        builder.HasIndex(g => new { g.CaseId, g.Relation }).IsUnique();
        builder.HasOne<Case>().WithMany(c => c.Guardians).HasForeignKey(g => g.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
