using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class HashBankEntryConfiguration : IEntityTypeConfiguration<HashBankEntry>
{
    public void Configure(EntityTypeBuilder<HashBankEntry> builder)
    {
        builder.ToTable("HashBankEntries", table =>
        {
            table.HasCheckConstraint("CK_HashBankEntries_Hash", "length(\"Hash\") = 32");
            table.HasCheckConstraint("CK_HashBankEntries_Owner", "\"CaseId\" IS NOT NULL OR \"MonitorReportId\" IS NOT NULL");
        });
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Hash).HasMaxLength(HashBankEntry.HashBytes);
        // Erasure and the ledger read a case's hashes; the primary key serves the index loader's tail by id.
        builder.HasIndex(e => e.CaseId);
        builder.HasIndex(e => e.MonitorReportId);
        builder.HasOne<Case>().WithMany().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(e => e.MonitorReport).WithMany().HasForeignKey(e => e.MonitorReportId).OnDelete(DeleteBehavior.Cascade);
    }
}
