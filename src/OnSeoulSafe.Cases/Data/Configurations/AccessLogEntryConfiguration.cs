using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class AccessLogEntryConfiguration : IEntityTypeConfiguration<AccessLogEntry>
{
    public void Configure(EntityTypeBuilder<AccessLogEntry> builder)
    {
        builder.ToTable("AccessLog");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.ActorRole).HasMaxLength(20);
        builder.Property(e => e.What).HasMaxLength(100);
        builder.Property(e => e.Reason).HasMaxLength(1000);
        // Who read this case (victim's view, break-the-glass checks) and what did this account read (auditors).
        builder.HasIndex(e => new { e.CaseId, e.At });
        builder.HasIndex(e => new { e.StaffId, e.At });
        builder.HasIndex(e => e.At);
        // What happened to this staff account (auditors).
        builder.HasIndex(e => new { e.SubjectStaffId, e.At });
        // No foreign keys: the log must outlive the cases and accounts it speaks of.
    }
}
