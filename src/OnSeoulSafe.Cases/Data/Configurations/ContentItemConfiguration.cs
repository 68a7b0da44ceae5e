using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class ContentItemConfiguration : IEntityTypeConfiguration<ContentItem>
{
    public void Configure(EntityTypeBuilder<ContentItem> builder)
    {
        builder.ToTable("ContentItems");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Url).IsEncrypted();
        builder.Property(c => c.UrlFingerprint).HasMaxLength(32);
        builder.Property(c => c.Sha256).HasMaxLength(64);
        builder.Property(c => c.PerceptualHash).HasMaxLength(64);
        builder.Ignore(c => c.NeedsRecheck);
        builder.Ignore(c => c.AwaitsRemoval);
        // Two answers recorded at once for the same link cannot both win (and dashboard counts stay exact).
        builder.Property(c => c.Status).IsConcurrencyToken();
        builder.Ignore(c => c.OpenRequest);
        // One row per link within a case: a repeated link is merged, not duplicated.
        builder.HasIndex(c => new { c.CaseId, c.UrlFingerprint }).IsUnique().AreNullsDistinct(false);
        builder.HasIndex(c => new { c.Status, c.LastCheckedAt });
        builder.HasIndex(c => c.PlatformId);
        // The escalation ladder's timer: items whose platform's time ran out.
        builder.HasIndex(c => c.EscalationDueAt).HasFilter("\"EscalationDueAt\" IS NOT NULL");
        // The dashboard's monitoring figures: links by who found them, by the time first seen.
        builder.HasIndex(c => new { c.FoundBy, c.FirstSeenAt });
        builder.HasIndex(c => c.Sha256).HasFilter("\"Sha256\" IS NOT NULL");
        builder.HasOne(c => c.Platform).WithMany().HasForeignKey(c => c.PlatformId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.History).WithOne().HasForeignKey(e => e.ContentItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Requests).WithOne().HasForeignKey(e => e.ContentItemId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContentItemEventConfiguration : IEntityTypeConfiguration<ContentItemEvent>
{
    public void Configure(EntityTypeBuilder<ContentItemEvent> builder)
    {
        builder.ToTable("ContentItemEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Note).HasMaxLength(200);
        builder.HasIndex(e => new { e.ContentItemId, e.At });
        // The dashboard counts reappearances by time.
        builder.HasIndex(e => new { e.To, e.At });
    }
}

internal sealed class DeletionRequestConfiguration : IEntityTypeConfiguration<DeletionRequest>
{
    public void Configure(EntityTypeBuilder<DeletionRequest> builder)
    {
        builder.ToTable("DeletionRequests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Language).HasMaxLength(5);
        builder.Property(r => r.Outcome).IsConcurrencyToken();
        builder.Ignore(r => r.Removed);
        builder.HasIndex(r => new { r.PlatformId, r.RequestedAt });
        builder.HasIndex(r => r.ContentItemId);
        builder.HasOne<Platform>().WithMany().HasForeignKey(r => r.PlatformId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(r => r.RequestedById).OnDelete(DeleteBehavior.Restrict);
    }
}
