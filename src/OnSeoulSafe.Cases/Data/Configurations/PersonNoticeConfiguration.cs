using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class PersonNoticeConfiguration : IEntityTypeConfiguration<PersonNotice>
{
    public void Configure(EntityTypeBuilder<PersonNotice> builder)
    {
        builder.ToTable("PersonNotices");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Reason).HasMaxLength(40);
        builder.Property(n => n.Key).HasMaxLength(80);
        builder.Property(n => n.LastError).HasMaxLength(80);
        // Recording a send's result needs the lease still held.
        builder.Property(n => n.LeaseToken).IsConcurrencyToken();
        // Queuing the same notice again fails instead of sending it twice.
        builder.HasIndex(n => n.Key).IsUnique();
        builder.HasIndex(n => n.NotBefore).HasFilter("\"State\" = 'Waiting'");
        builder.HasIndex(n => new { n.CaseId, n.State });
        builder.HasIndex(n => new { n.StaffId, n.CreatedAt });
        builder.HasOne<Case>().WithMany(c => c.PersonNotices).HasForeignKey(n => n.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(n => n.StaffId).OnDelete(DeleteBehavior.Restrict);
    }
}
