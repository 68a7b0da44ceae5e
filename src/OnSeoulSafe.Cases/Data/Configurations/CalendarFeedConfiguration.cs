using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class CalendarFeedConfiguration : IEntityTypeConfiguration<CalendarFeed>
{
    public void Configure(EntityTypeBuilder<CalendarFeed> builder)
    {
        builder.ToTable("CalendarFeeds");
        builder.HasKey(f => f.StaffId);
        builder.Property(f => f.TokenHash).HasMaxLength(32);
        // The feed address is looked up by its token's hash.
        builder.HasIndex(f => f.TokenHash).IsUnique();
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(f => f.StaffId).OnDelete(DeleteBehavior.Cascade);
    }
}
