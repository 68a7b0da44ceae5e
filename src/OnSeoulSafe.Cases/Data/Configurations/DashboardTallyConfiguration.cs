using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Dashboard;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class DashboardTallyConfiguration : IEntityTypeConfiguration<DashboardTally>
{
    public void Configure(EntityTypeBuilder<DashboardTally> builder)
    {
        builder.ToTable("DashboardTallies");
        builder.HasKey(t => t.Id);
        // A number, not a name: these rows are written on every change and summed on every dashboard view.
        builder.Property(t => t.Measure).HasConversion<short>();
        // No other index: the ledger stays small because it is compacted every few seconds.
    }
}

internal sealed class DashboardTotalConfiguration : IEntityTypeConfiguration<DashboardTotal>
{
    public void Configure(EntityTypeBuilder<DashboardTotal> builder)
    {
        builder.ToTable("DashboardTotals");
        // Key order serves the dashboard's reads: one measure, one companion scope, one crime scope, a month range.
        builder.HasKey(t => new { t.Measure, t.CompanionId, t.Crime, t.Month, t.IsMinor, t.Key1, t.Key2 });
        // The same order carrying the count, and one with the crime scope first for the per-companion read (every
        // companion, one crime scope): each dashboard read is then an index-only scan of the cells it sums.
        builder.HasIndex(t => new { t.Measure, t.CompanionId, t.Crime, t.Month, t.IsMinor, t.Key1, t.Key2 }, "IX_DashboardTotals_Read").IncludeProperties(t => t.N);
        builder.HasIndex(t => new { t.Measure, t.Crime, t.CompanionId, t.Month, t.IsMinor, t.Key1, t.Key2 }, "IX_DashboardTotals_PerCompanion").IncludeProperties(t => t.N);
        // Index-only scans need the visibility map kept current under the compaction's steady updates.
        builder.HasStorageParameter("autovacuum_vacuum_scale_factor", 0).HasStorageParameter("autovacuum_vacuum_threshold", 1000)
            .HasStorageParameter("autovacuum_vacuum_insert_scale_factor", 0).HasStorageParameter("autovacuum_vacuum_insert_threshold", 1000);
        builder.Property(t => t.Measure).HasConversion<short>();
    }
}
