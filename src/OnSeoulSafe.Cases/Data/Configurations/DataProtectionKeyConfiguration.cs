using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OnSeoulSafe.Cases.Data.Configurations;

/// <summary>
/// Data Protection's own key entity, mapped onto the table the portal has always had: the package's properties are
/// nullable and unbounded, the table's columns are required and bounded, so the schema stays as it is.
/// Each row's <c>Xml</c> holds a key already encrypted with the field-encryption key ring from configuration.
/// </summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.ToTable("DataProtectionKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.FriendlyName).IsRequired().HasMaxLength(200);
        builder.Property(k => k.Xml).IsRequired().HasMaxLength(20000);
    }
}
