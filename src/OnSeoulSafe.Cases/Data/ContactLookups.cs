using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Cases.Data;

/// <summary>
/// Keeps each case's contact lookups (<see cref="Case.ContactPhoneLookup"/>, <see cref="Case.ContactEmailLookup"/>)
/// in step with its encrypted safe contact: every save of a new or changed case recomputes them from the values in
/// hand, so no write path can forget them. The keys travel in the context's options, like the field cipher.
/// </summary>
public static class ContactLookups
{
    /// <summary>The keyed hashes a pooled <see cref="PortalDbContext"/> writes its contact lookups with.</summary>
    public static DbContextOptionsBuilder UseContactLookups(this DbContextOptionsBuilder options, Fingerprints fingerprints)
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new ContactLookupOptionsExtension(fingerprints));
        return options;
    }

    /// <summary>Recomputes the lookups of every added or changed case; refuses to save a phone or e-mail it cannot hash.</summary>
    internal static void Refresh(PortalDbContext db)
    {
        if (db.ChangeTracker.AutoDetectChangesEnabled) db.ChangeTracker.DetectChanges();
        foreach (var entry in db.ChangeTracker.Entries<Case>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            if (Compute(db, entry.Entity))
            {
                // The save may have detected its changes already: this case's new lookups are detected here.
                entry.DetectChanges();
            }
        }
    }

    /// <summary>
    /// Sets one case's lookups from its safe contact (also for a new case written without the change tracker, see
    /// <see cref="NewCaseWriter"/>); true when they changed.
    /// </summary>
    internal static bool Compute(PortalDbContext db, Case @case)
    {
        var contact = @case.SafeContact;
        if (contact is null) return false;
        if (db.Lookups is not { } fingerprints)
        {
            if (contact.PhoneNumber is not null || contact.Email is not null)
            {
                throw new InvalidOperationException("The context's options carry no contact lookup keys: call UseContactLookups.");
            }
            var had = @case.ContactPhoneLookup is not null || @case.ContactEmailLookup is not null;
            @case.SetContactLookups(null, null);
            return had;
        }
        var phone = fingerprints.ContactPhone(contact.PhoneNumber);
        var email = fingerprints.ContactEmail(contact.Email);
        if (Same(phone, @case.ContactPhoneLookup) && Same(email, @case.ContactEmailLookup)) return false;
        @case.SetContactLookups(phone, email);
        return true;
    }

    /// <summary>
    /// Fills the lookups of cases saved before they existed (run once after migrating; a no-op afterwards). Reads
    /// those cases' contact fields a batch at a time, the only time the table is decrypted for this.
    /// </summary>
    public static async Task<int> FillMissingAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        const int Batch = 500;
        var fingerprints = db.Lookups ?? throw new InvalidOperationException("The context's options carry no contact lookup keys: call UseContactLookups.");
        var filled = 0;
        while (true)
        {
            var cases = await db.Cases
                .Where(c => (c.SafeContact.PhoneNumber != null && c.ContactPhoneLookup == null)
                    || (c.SafeContact.Email != null && c.ContactEmailLookup == null))
                .OrderBy(c => c.Id).Take(Batch)
                .ToListAsync(cancellationToken);
            if (cases.Count == 0) return filled;
            foreach (var @case in cases)
            {
                @case.SetContactLookups(fingerprints.ContactPhone(@case.SafeContact.PhoneNumber), fingerprints.ContactEmail(@case.SafeContact.Email));
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            filled += cases.Count;
            if (cases.Count < Batch) return filled;
        }
    }

    private static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}

internal sealed class ContactLookupOptionsExtension(Fingerprints fingerprints) : IDbContextOptionsExtension
{
    public Fingerprints Fingerprints { get; } = fingerprints;

    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
        // Nothing to register: the context reads the keys from its options.
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "";

        // Registers no services, so contexts with different keys share EF Core's internal service provider.
        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
        {
        }
    }
}
