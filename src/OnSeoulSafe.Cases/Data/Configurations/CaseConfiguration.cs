using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data.Configurations;

internal sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> builder)
    {
        builder.ToTable("Cases");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Reference).HasMaxLength(20);
        builder.HasIndex(c => c.Reference).IsUnique();
        builder.Property(c => c.IntakeFingerprint).HasMaxLength(32);
        builder.HasIndex(c => c.IntakeFingerprint).IsUnique();
        builder.PrimitiveCollection(c => c.CrimeTypes).ElementType(e => e.HasConversion<string>());
        builder.Property(c => c.ClosingNote).IsEncrypted();
        builder.Property(c => c.AccessCodeHash).HasMaxLength(32);
        // Exact-match search on the encrypted phone and e-mail (keyed hashes, see Fingerprints.ContactPhone).
        builder.Property(c => c.ContactPhoneLookup).HasMaxLength(32);
        builder.Property(c => c.ContactEmailLookup).HasMaxLength(32);
        builder.HasIndex(c => c.ContactPhoneLookup).HasFilter("\"ContactPhoneLookup\" IS NOT NULL");
        builder.HasIndex(c => c.ContactEmailLookup).HasFilter("\"ContactEmailLookup\" IS NOT NULL");
        builder.Property(c => c.Version).IsRowVersion();

        builder.ComplexProperty(c => c.Risk, risk =>
        {
            risk.Property(r => r.SelfHarmThoughts).HasColumnName("RiskSelfHarmThoughts");
            risk.Property(r => r.OngoingThreats).HasColumnName("RiskOngoingThreats");
            risk.Property(r => r.OffenderKnowsAddress).HasColumnName("RiskOffenderKnowsAddress");
            risk.Property(r => r.IsMinor).HasColumnName("RiskIsMinor");
        });
        builder.ComplexProperty(c => c.SafeContact, contact =>
        {
            contact.Property(s => s.Channel).HasColumnName("ContactChannel");
            contact.Property(s => s.PhoneNumber).HasColumnName("ContactPhone").IsEncrypted();
            contact.Property(s => s.Email).HasColumnName("ContactEmail").IsEncrypted();
            contact.Property(s => s.SafeFrom).HasColumnName("ContactSafeFrom");
            contact.Property(s => s.SafeUntil).HasColumnName("ContactSafeUntil");
            contact.Property(s => s.VoicemailSafe).HasColumnName("ContactVoicemailSafe");
            contact.Property(s => s.SafeWord).HasColumnName("ContactSafeWord").IsEncrypted();
            contact.Property(s => s.NameTheCenter).HasColumnName("ContactNameTheCenter");
        });

        builder.HasOne(c => c.Victim).WithMany().HasForeignKey(c => c.VictimId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(c => c.AssignedCompanion).WithMany().HasForeignKey(c => c.AssignedCompanionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(c => c.Narrative).WithOne().HasForeignKey<Narrative>(n => n.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Amendments).WithOne().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Consents).WithOne().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Tracks).WithOne().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Timeline).WithOne().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Assignments).WithOne().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Messages).WithOne().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.ContentItems).WithOne().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);

        builder.Ignore(c => c.IsOpen);
        builder.Ignore(c => c.NameForDeletionRequests);
        builder.Ignore(c => c.AllowsAutomaticRequests);

        // The intake queue: open, unassigned cases, emergencies first, oldest first.
        builder.HasIndex(c => new { c.Priority, c.CreatedAt })
            .HasFilter("\"AssignedCompanionId\" IS NULL AND \"Status\" IN ('New', 'Triaged')")
            .HasDatabaseName("IX_Cases_IntakeQueue");
        // Dashboard: assigned cases still waiting for their first contact, per companion (overdue contacts).
        builder.HasIndex(c => new { c.AssignedCompanionId, c.Priority, c.CreatedAt })
            .HasFilter("\"FirstContactAt\" IS NULL AND \"AssignedCompanionId\" IS NOT NULL AND \"Status\" IN ('Assigned', 'InProgress')")
            .HasDatabaseName("IX_Cases_AwaitingFirstContact");
        // "My cases" and caseload per companion.
        builder.HasIndex(c => new { c.AssignedCompanionId, c.Status });
        builder.HasIndex(c => c.CreatedAt);
    }
}
