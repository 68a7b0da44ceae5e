using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class MonitoringSourceConfiguration : IEntityTypeConfiguration<MonitoringSource>
{
    public void Configure(EntityTypeBuilder<MonitoringSource> builder)
    {
        builder.ToTable("MonitoringSources");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.HasIndex(s => s.Name).IsUnique();
        builder.Property(s => s.StartAddress).HasMaxLength(2000);
        builder.Property(s => s.HostKey).HasMaxLength(300);
        builder.Ignore(s => s.MinimumDelay);
        builder.HasOne(s => s.Platform).WithMany().HasForeignKey(s => s.PlatformId).OnDelete(DeleteBehavior.Restrict);
    }
}
