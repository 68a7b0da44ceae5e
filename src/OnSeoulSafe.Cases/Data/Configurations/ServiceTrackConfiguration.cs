using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class ServiceTrackConfiguration : IEntityTypeConfiguration<ServiceTrack>
{
    public void Configure(EntityTypeBuilder<ServiceTrack> builder)
    {
        builder.ToTable("ServiceTracks");
        builder.HasKey(t => t.Id);
        builder.Ignore(t => t.IsOpen);
        // Two status changes of the same track at once cannot both win (and dashboard counts stay exact).
        builder.Property(t => t.Status).IsConcurrencyToken();
        builder.HasIndex(t => new { t.CaseId, t.Kind }).IsUnique();
        builder.HasIndex(t => new { t.Kind, t.Status });
        builder.HasOne(t => t.ResponsibleStaff).WithMany().HasForeignKey(t => t.ResponsibleStaffId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(t => t.Referrals).WithOne().HasForeignKey(r => r.ServiceTrackId).OnDelete(DeleteBehavior.Cascade);
    }
}
