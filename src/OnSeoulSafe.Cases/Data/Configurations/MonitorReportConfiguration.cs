using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class MonitorReportConfiguration : IEntityTypeConfiguration<MonitorReport>
{
    public void Configure(EntityTypeBuilder<MonitorReport> builder)
    {
        builder.ToTable("MonitorReports");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Url).IsEncrypted();
        builder.Property(r => r.Note).IsEncrypted();
        builder.Property(r => r.UrlFingerprint).HasMaxLength(32);
        builder.Property(r => r.DismissReason).HasMaxLength(1000);
        builder.Property(r => r.Sha256).HasMaxLength(64);
        builder.HasIndex(r => new { r.MonitorId, r.ReportedAt });
        builder.HasIndex(r => new { r.Status, r.ReportedAt });
        builder.HasIndex(r => r.UrlFingerprint);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(r => r.MonitorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Platform>().WithMany().HasForeignKey(r => r.PlatformId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(r => r.ContentItem).WithMany().HasForeignKey(r => r.ContentItemId).OnDelete(DeleteBehavior.SetNull);
    }
}
