using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class PlatformConfiguration : IEntityTypeConfiguration<Platform>
{
    public void Configure(EntityTypeBuilder<Platform> builder)
    {
        builder.ToTable("Platforms");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.HasIndex(p => p.Name).IsUnique();
        builder.Property(p => p.RequestAddress).HasMaxLength(500);
        builder.Property(p => p.TemplateKo).HasMaxLength(8000);
        builder.Property(p => p.TemplateEn).HasMaxLength(8000);
        builder.Property(p => p.RemovedPageMarker).HasMaxLength(500);
        builder.Property(p => p.NoticeAddress).HasMaxLength(500);
        builder.Property(p => p.NoticeBodyTemplate).HasMaxLength(8000);
        builder.Property(p => p.NoticeLanguage).HasMaxLength(5);
        builder.Ignore(p => p.SendsNotices);
    }
}
