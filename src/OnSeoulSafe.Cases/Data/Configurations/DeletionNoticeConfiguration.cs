using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class DeletionNoticeConfiguration : IEntityTypeConfiguration<DeletionNotice>
{
    public void Configure(EntityTypeBuilder<DeletionNotice> builder)
    {
        builder.ToTable("DeletionNotices");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Language).HasMaxLength(5);
        builder.Property(n => n.LastError).HasMaxLength(80);
        builder.Property(n => n.PlatformReference).HasMaxLength(200);
        // Recording a send's result needs the lease still held.
        builder.Property(n => n.LeaseToken).IsConcurrencyToken();
        // One notice per request and step: queuing it again changes nothing, so it is never sent twice.
        builder.HasIndex(n => new { n.DeletionRequestId, n.Step }).IsUnique();
        // Taking work: waiting notices in the order they become due.
        builder.HasIndex(n => n.NotBefore).HasFilter("\"State\" = 'Waiting'");
        builder.HasIndex(n => n.ContentItemId);
        builder.HasIndex(n => n.PlatformId);
        builder.HasOne(n => n.Request).WithMany().HasForeignKey(n => n.DeletionRequestId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(n => n.Item).WithMany().HasForeignKey(n => n.ContentItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Platform>().WithMany().HasForeignKey(n => n.PlatformId).OnDelete(DeleteBehavior.Restrict);
    }
}
