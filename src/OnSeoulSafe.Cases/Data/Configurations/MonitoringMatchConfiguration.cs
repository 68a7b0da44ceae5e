using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class MonitoringMatchConfiguration : IEntityTypeConfiguration<MonitoringMatch>
{
    public void Configure(EntityTypeBuilder<MonitoringMatch> builder)
    {
        builder.ToTable("MonitoringMatches");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.MatchedHash).HasMaxLength(64);
        builder.Property(m => m.DismissReason).IsEncrypted();
        // One row per ledger entry: the same address found again updates it.
        builder.HasIndex(m => m.ContentItemId).IsUnique();
        // The companion's review queue: waiting matches by case.
        builder.HasIndex(m => new { m.Decision, m.CaseId });
        builder.HasOne(m => m.ContentItem).WithMany().HasForeignKey(m => m.ContentItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Case>().WithMany().HasForeignKey(m => m.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(m => m.DecidedById).OnDelete(DeleteBehavior.Restrict);
    }
}
