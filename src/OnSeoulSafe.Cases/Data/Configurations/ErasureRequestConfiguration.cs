using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class ErasureRequestConfiguration : IEntityTypeConfiguration<ErasureRequest>
{
    public void Configure(EntityTypeBuilder<ErasureRequest> builder)
    {
        builder.ToTable("ErasureRequests");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.RejectionReason).HasMaxLength(1000);
        // Two managers deciding at once: the second save finds the status changed and is refused.
        builder.Property(e => e.Status).IsConcurrencyToken();
        builder.HasIndex(e => new { e.Status, e.RequestedAt });
        builder.HasIndex(e => e.CaseId);
        builder.HasOne<Case>().WithMany().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(e => e.FirstApproverId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(e => e.SecondApproverId).OnDelete(DeleteBehavior.Restrict);
    }
}
