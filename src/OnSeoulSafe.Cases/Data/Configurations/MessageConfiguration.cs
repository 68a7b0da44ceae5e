using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.ToTable("Messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Body).IsEncrypted();
        builder.HasIndex(m => new { m.CaseId, m.SentAt });
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(m => m.StaffId).OnDelete(DeleteBehavior.Restrict);
    }
}
