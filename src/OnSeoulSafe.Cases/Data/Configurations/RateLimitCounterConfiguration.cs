using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Limits;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class RateLimitCounterConfiguration : IEntityTypeConfiguration<RateLimitCounter>
{
    public void Configure(EntityTypeBuilder<RateLimitCounter> builder)
    {
        // Unlogged: lost on a crash (the limits start afresh), not written to the write-ahead log on every attempt.
        builder.ToTable("RateLimitCounters").IsUnlogged();
        builder.HasKey(c => c.Key);
        builder.Property(c => c.Key).HasMaxLength(64);
        builder.HasIndex(c => c.ExpiresAt);
    }
}
