using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class NarrativeConfiguration : IEntityTypeConfiguration<Narrative>
{
    public void Configure(EntityTypeBuilder<Narrative> builder)
    {
        builder.ToTable("Narratives");
        builder.HasKey(n => n.CaseId);
        builder.Property(n => n.Text).IsEncrypted();
    }
}

internal sealed class NarrativeAmendmentConfiguration : IEntityTypeConfiguration<NarrativeAmendment>
{
    public void Configure(EntityTypeBuilder<NarrativeAmendment> builder)
    {
        builder.ToTable("NarrativeAmendments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Text).IsEncrypted();
        builder.HasIndex(a => new { a.CaseId, a.AddedAt });
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(a => a.StaffId).OnDelete(DeleteBehavior.Restrict);
    }
}
