using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class TimelineEventConfiguration : IEntityTypeConfiguration<TimelineEvent>
{
    public void Configure(EntityTypeBuilder<TimelineEvent> builder)
    {
        builder.ToTable("TimelineEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Detail).HasMaxLength(200);
        builder.Property(e => e.Place).IsEncrypted();
        builder.Property(e => e.Note).IsEncrypted();
        // The case file's timeline, newest first.
        builder.HasIndex(e => new { e.CaseId, e.OccurredAt }).IsDescending(false, true);
        // A companion's agenda of appointments.
        builder.HasIndex(e => new { e.StaffId, e.OccurredAt })
            .HasFilter("\"Kind\" = 'Appointment'")
            .HasDatabaseName("IX_TimelineEvents_Agenda");
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(e => e.StaffId).OnDelete(DeleteBehavior.Restrict);
    }
}
