using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class ConsentConfiguration : IEntityTypeConfiguration<Consent>
{
    public void Configure(EntityTypeBuilder<Consent> builder)
    {
        builder.ToTable("Consents");
        builder.HasKey(c => c.Id);
        builder.Ignore(c => c.IsActive);
        builder.HasIndex(c => new { c.CaseId, c.Track });
        builder.HasOne<PartnerInstitution>().WithMany().HasForeignKey(c => c.PartnerInstitutionId).OnDelete(DeleteBehavior.Restrict);
    }
}
