using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class MinorPracticeConfiguration : IEntityTypeConfiguration<MinorPractice>
{
    public void Configure(EntityTypeBuilder<MinorPractice> builder)
    {
        builder.ToTable("MinorsPractice");
        builder.HasKey(p => p.Id);
        // One row per kind of decision: the practice says one thing about each.
        builder.HasIndex(p => p.Decision).IsUnique();
        builder.Property(p => p.Note).HasMaxLength(MinorPractice.NoteMax);
    }
}
