using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using OnSeoulSafe.Cases.Dashboard;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Cases.Data;

/// <summary>
/// Staff accounts and case files share one database, so one transaction covers both. Built from its options alone
/// (the portal pools contexts): the field cipher travels in them, see <see cref="FieldCipherOptions.UseFieldCipher"/>.
/// It also holds the Data Protection key ring, through Data Protection's own EF Core key store.
/// </summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options)
    : IdentityDbContext<StaffMember, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    public const string CaseNumberSequence = "case_numbers";

    internal FieldCipher Cipher { get; } = options.FindExtension<FieldCipherOptionsExtension>()?.Cipher
        ?? throw new InvalidOperationException("The context's options carry no field cipher: call UseFieldCipher.");

    /// <summary>The keyed hashes of the contact lookups (<see cref="ContactLookups"/>); null in tools that never save a contact.</summary>
    internal Fingerprints? Lookups { get; } = options.FindExtension<ContactLookupOptionsExtension>()?.Fingerprints;

    public DbSet<Case> Cases => Set<Case>();
    public DbSet<Victim> Victims => Set<Victim>();
    public DbSet<Narrative> Narratives => Set<Narrative>();
    public DbSet<NarrativeAmendment> NarrativeAmendments => Set<NarrativeAmendment>();
    public DbSet<Consent> Consents => Set<Consent>();
    public DbSet<ServiceTrack> ServiceTracks => Set<ServiceTrack>();
    public DbSet<TimelineEvent> TimelineEvents => Set<TimelineEvent>();
    public DbSet<Assignment> Assignments => Set<Assignment>();
    public DbSet<AccessLogEntry> AccessLog => Set<AccessLogEntry>();
    public DbSet<AccessLogSeal> AccessLogSeals => Set<AccessLogSeal>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<ContentItem> ContentItems => Set<ContentItem>();
    public DbSet<ContentItemEvent> ContentItemEvents => Set<ContentItemEvent>();
    public DbSet<DeletionRequest> DeletionRequests => Set<DeletionRequest>();
    public DbSet<Platform> Platforms => Set<Platform>();
    public DbSet<PartnerInstitution> PartnerInstitutions => Set<PartnerInstitution>();
    public DbSet<Referral> Referrals => Set<Referral>();
    public DbSet<MonitorReport> MonitorReports => Set<MonitorReport>();
    public DbSet<EvidenceHash> EvidenceHashes => Set<EvidenceHash>();
    public DbSet<ErasureRequest> ErasureRequests => Set<ErasureRequest>();
    public DbSet<CodeRecovery> CodeRecoveries => Set<CodeRecovery>();
    public DbSet<CalendarFeed> CalendarFeeds => Set<CalendarFeed>();
    public DbSet<HashMatch> HashMatches => Set<HashMatch>();
    public DbSet<HashBankEntry> HashBankEntries => Set<HashBankEntry>();
    public DbSet<DashboardTally> DashboardTallies => Set<DashboardTally>();
    public DbSet<DashboardTotal> DashboardTotals => Set<DashboardTotal>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<MonitoringSource> MonitoringSources => Set<MonitoringSource>();
    public DbSet<MonitoringWork> MonitoringWork => Set<MonitoringWork>();
    public DbSet<MonitoredHost> MonitoredHosts => Set<MonitoredHost>();
    public DbSet<DeletionNotice> DeletionNotices => Set<DeletionNotice>();
    public DbSet<PersonNotice> PersonNotices => Set<PersonNotice>();
    public DbSet<MonitoringMatch> MonitoringMatches => Set<MonitoringMatch>();
    public DbSet<MinorPractice> MinorsPractice => Set<MinorPractice>();
    public DbSet<Limits.RateLimitCounter> RateLimitCounters => Set<Limits.RateLimitCounter>();

    /// <summary>
    /// Draws the next case number (the case's id) from a PostgreSQL sequence. A plain command: EF Core's query
    /// pipeline (its cache lookup, shaper and single-row check) cost more than the statement it sends.
    /// </summary>
    public async Task<long> NextCaseNumberAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = await Database.CommandAsync($"SELECT nextval('\"{CaseNumberSequence}\"')", cancellationToken);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        finally
        {
            await Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Saves the changes and the dashboard's counter deltas for them in one transaction (the caller's, when there is
    /// one). Changes the dashboard does not count are saved as EF Core saves them.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // Changes are detected once, here: the contact lookups, the sealing of encrypted values and the ledger read
        // the tracked entries, and each read (and EF Core's own save) would otherwise compare every tracked row with
        // its snapshot again. What those steps change themselves they change through the entries, which needs no
        // detection. For an intake (about thirty rows) the repeated detection was a sixth of the bytes it allocated.
        ChangeTracker.DetectChanges();
        var wasDetecting = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return await SaveDetectedAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = wasDetecting;
        }
    }

    private async Task<int> SaveDetectedAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        ContactLookups.Refresh(this);
        FieldPlaces.SealForSave(this, Cipher, detectChanges: false);
        var deltas = await DashboardLedger.DeltasAsync(this, cancellationToken);
        if (deltas.Count == 0) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

        // A retriable unit for the execution strategy (run directly when the caller's unit is already running): the
        // changes are accepted only after the commit, so a retry saves them again from the start.
        var saved = await Database.CreateExecutionStrategy().ExecuteAsync(
            (Context: this, Deltas: deltas),
            static async (_, state, ct) =>
            {
                var (db, deltas) = state;
                var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
                try
                {
                    var saved = await db.SaveWithoutLedgerAsync(ct);
                    await DashboardLedger.WriteAsync(db, deltas, ct);
                    if (own is not null) await own.CommitAsync(ct);
                    return saved;
                }
                finally
                {
                    if (own is not null) await own.DisposeAsync();
                }
            },
            verifySucceeded: null,
            cancellationToken);
        if (acceptAllChangesOnSuccess) ChangeTracker.AcceptAllChanges();
        return saved;
    }

    private Task<int> SaveWithoutLedgerAsync(CancellationToken cancellationToken) =>
        base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        DashboardLedger.RefuseSynchronousSave(this);
        ContactLookups.Refresh(this);
        FieldPlaces.SealForSave(this, Cipher);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in SQL, and reordering an enum cannot corrupt data.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasSequence<long>(CaseNumberSequence);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
        ApplyFieldEncryption(builder.Model);
    }

    private void ApplyFieldEncryption(IMutableModel model)
    {
        foreach (var entityType in model.GetEntityTypes())
        {
            var properties = entityType.GetProperties()
                .Concat(entityType.GetComplexProperties().SelectMany(c => c.ComplexType.GetProperties()))
                .Where(p => p.IsEncrypted()).ToList();
            if (properties.Count == 0) continue;
            FieldPlaces.ChooseRowKey(entityType);
            foreach (var property in properties)
            {
                property.SetValueConverter(new EncryptedStringConverter(Cipher, FieldPlaces.PlaceOf(property, "")));
            }
        }
    }
}
