using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class MonitoringWorkConfiguration : IEntityTypeConfiguration<MonitoringWork>
{
    public void Configure(EntityTypeBuilder<MonitoringWork> builder)
    {
        builder.ToTable("MonitoringWork");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Address).HasMaxLength(2000);
        builder.Property(w => w.HostKey).HasMaxLength(300);
        builder.Property(w => w.LastError).HasMaxLength(100);
        // One address is never waiting or in hand twice for the same kind of work; parked work does not block it.
        builder.HasIndex(w => new { w.Kind, w.Address }).IsUnique().HasFilter("\"DeadAt\" IS NULL");
        // Taking work: a host's live items in the order they become due.
        builder.HasIndex(w => new { w.HostKey, w.NotBefore }).HasFilter("\"DeadAt\" IS NULL");
        builder.HasOne<MonitoringSource>().WithMany().HasForeignKey(w => w.SourceId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class MonitoredHostConfiguration : IEntityTypeConfiguration<MonitoredHost>
{
    public void Configure(EntityTypeBuilder<MonitoredHost> builder)
    {
        builder.ToTable("MonitoredHosts");
        builder.HasKey(h => h.HostKey);
        builder.Property(h => h.HostKey).HasMaxLength(300);
        builder.HasIndex(h => h.NextAllowedAt);
    }
}
