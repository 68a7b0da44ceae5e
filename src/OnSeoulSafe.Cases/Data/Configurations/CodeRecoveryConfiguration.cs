using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class CodeRecoveryConfiguration : IEntityTypeConfiguration<CodeRecovery>
{
    public void Configure(EntityTypeBuilder<CodeRecovery> builder)
    {
        builder.ToTable("CodeRecoveries");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.ConfirmationNumber).HasMaxLength(4);
        builder.Property(r => r.PickupHash).HasMaxLength(32);
        // Two staff deciding at once, or a pickup racing a second pickup: the later save finds the status changed.
        builder.Property(r => r.Status).IsConcurrencyToken();
        builder.HasIndex(r => new { r.CaseId, r.Status });
        builder.HasOne<Case>().WithMany().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(r => r.DecidedById).OnDelete(DeleteBehavior.Restrict);
    }
}
