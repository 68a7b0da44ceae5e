using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Pages.Shared;

namespace OnSeoulSafe.Web.Pages.Report;

/// <summary>What the victim receives once: the case reference and the secret code to come back with.</summary>
public sealed record IntakeReceipt(string Reference, string AccessCode, bool ShowCrisisLines, bool IsMinor);

/// <summary>
/// A report a staff member takes on a caller's behalf: how it came and who took it, whether that companion keeps the
/// case, and the role their access to the new case is logged under.
/// </summary>
public sealed record StaffTaking(StaffIntake Intake, bool KeepCase, string ActorRole)
{
    /// <summary>What the access log names as the page the staff member wrote the new case from.</summary>
    public const string LoggedAs = "/Intake/New";
}

/// <summary>
/// Turns a validated report into a case: the domain builds the case (narrative, screening, preferences, consents,
/// links and first timeline events) and <see cref="NewCaseWriter"/> writes it in one command (one transaction) — all
/// or nothing. A repeated submit of the same form returns the case the first one created.
/// </summary>
public sealed class ReportIntake(PortalDbContext db, Fingerprints fingerprints, EvidenceHashes evidenceHashes, TimeProvider clock, IMemoryCache cache)
{
    /// <summary>How long a repeated submit may show the same code again.</summary>
    private static readonly TimeSpan RepeatWindow = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The whole intake is one unit for EF Core's execution strategy: after a transient failure (the database
    /// restarting, a dropped connection) it runs again from the start with nothing tracked, and a save that did
    /// commit before the connection dropped is found again by its intake key instead of being made twice.
    /// </summary>
    public Task<IntakeReceipt?> SubmitAsync(ReportInput input, string language, CancellationToken cancellationToken) =>
        SubmitAsync(input, language, takenBy: null, cancellationToken);

    /// <summary>
    /// The same intake for a report a staff member took by phone or at the center (<paramref name="takenBy"/>): the
    /// consents are recorded as given aloud to them, the case may stay with them, and their access to the new case is
    /// logged in the same transaction.
    /// </summary>
    public Task<IntakeReceipt?> SubmitAsync(ReportInput input, string language, StaffTaking? takenBy, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(
            cancellationToken,
            async ct =>
            {
                db.ChangeTracker.Clear();
                return await SubmitOnceAsync(input, language, takenBy, ct);
            });

    private async Task<IntakeReceipt?> SubmitOnceAsync(ReportInput input, string language, StaffTaking? takenBy, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var number = await db.NextCaseNumberAsync(cancellationToken);
        // Random, so references cannot be guessed or walked through; a clash with an existing one is tried again below.
        var reference = CaseReference.New();
        var code = fingerprints.IntakeAccessCode(input.IntakeKey);
        var intakeFingerprint = fingerprints.IntakeFingerprint(input.IntakeKey);
        var risk = new RiskScreening(input.SelfHarmThoughts == true, input.OngoingThreats == true, input.OffenderKnowsAddress == true, input.UnderNineteen == true);
        var contact = new SafeContact(
            input.Channel,
            TextInput.Clean(input.Phone),
            TextInput.Clean(input.Email),
            input.SafeFrom,
            input.SafeUntil,
            input.VoicemailSafe,
            TextInput.Clean(input.SafeWord));

        var @case = Case.Open(
            number,
            reference,
            intakeFingerprint,
            new Victim(TextInput.Clean(input.Nickname), language),
            input.CrimeTypes,
            TextInput.Clean(input.Narrative)!,
            input.HappenedOn,
            risk,
            contact,
            fingerprints.AccessCode(reference, code),
            now,
            takenBy?.Intake);
        // What a minor said about her guardians; for anyone else nothing of it is kept.
        if (risk.IsMinor) GuardianStatements.Apply(@case, input.Guardians, now);
        var verballyTo = takenBy?.Intake.StaffId;
        foreach (var track in input.Consents.Distinct())
        {
            @case.GiveConsent(track, null, now, verballyTo);
        }
        if (input.AutomaticRequests) @case.SetAutomaticRequests(true, now, verballyTo);
        if (takenBy is { KeepCase: true })
        {
            var taker = await db.Users.SingleAsync(s => s.Id == takenBy.Intake.StaffId, cancellationToken);
            @case.KeepForIntakeTaker(taker, now);
        }
        if (takenBy is not null)
        {
            // The staff member wrote (and so read) the new case: logged with it, in the same command.
            CaseAccessLog.Record(db, now, takenBy.Intake.StaffId, takenBy.ActorRole, number, AccessAction.Edit, StaffTaking.LoggedAs);
        }
        var links = input.DistinctLinks();
        // Platforms are read only when there is a link to match: a report without links saves a round trip.
        var platforms = links.Count == 0 ? [] : await ActivePlatformsAsync(cancellationToken);
        foreach (var link in links)
        {
            var host = ContentLinks.Host(link);
            var platform = platforms.FirstOrDefault(p => p.Matches(host));
            @case.ContentItems.Add(new ContentItem(number, link, fingerprints.ContentUrl(link), platform?.Id, ContentKind.Other, ContentFinder.Victim, risk.IsMinor, now));
        }
        // Only the fingerprints reach the portal; they are saved with the case (the case's id is its number).
        await evidenceHashes.AddAsync(number, input.Evidence, HashSupplier.Victim, cancellationToken);
        try
        {
            // The case's rows, the rows added to the context (a staff intake's access-log row, evidence hashes) and the
            // dashboard's deltas: one command, one transaction.
            await NewCaseWriter.WriteAsync(db, @case, cancellationToken);
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "IX_Cases_Reference" })
        {
            // 40 random bits: a clash is rare, and nothing was saved; the same report goes again under a new reference.
            db.ChangeTracker.Clear();
            return await SubmitOnceAsync(input, language, takenBy, cancellationToken);
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "IX_Cases_IntakeFingerprint" })
        {
            // The same form was sent again (double click, retry): the first one created the case. Found by the unique
            // intake key's fingerprint rather than looked up before every insert, which would cost each intake a round trip.
            db.ChangeTracker.Clear();
            return await FindRepeatAsync(input.IntakeKey, intakeFingerprint, cancellationToken);
        }
        return new IntakeReceipt(reference, AccessCode.Format(code), risk.SelfHarmThoughts, risk.IsMinor);
    }

    /// <summary>
    /// The platforms to match links against, read at most once a minute per instance: they change rarely, and a
    /// link matched to no platform is given one on the ledger page.
    /// </summary>
    private Task<List<Platform>> ActivePlatformsAsync(CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync("intake:active-platforms", entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1);
            return db.Platforms.AsNoTracking().Where(p => p.IsActive).ToListAsync(cancellationToken);
        })!;

    /// <summary>The code is derived again from the key the form sent: the case row holds only the key's fingerprint.</summary>
    private async Task<IntakeReceipt?> FindRepeatAsync(Guid intakeKey, byte[] intakeFingerprint, CancellationToken cancellationToken)
    {
        var earlier = await db.Cases.AsNoTracking()
            .Where(c => c.IntakeFingerprint == intakeFingerprint)
            .Select(c => new { c.Reference, c.CreatedAt, c.Risk.SelfHarmThoughts, c.Risk.IsMinor })
            .SingleOrDefaultAsync(cancellationToken);
        if (earlier is null) return null;
        if (clock.GetUtcNow() - earlier.CreatedAt > RepeatWindow)
        {
            throw new IntakeExpiredException();
        }
        return new IntakeReceipt(earlier.Reference, AccessCode.Format(fingerprints.IntakeAccessCode(intakeKey)), earlier.SelfHarmThoughts, earlier.IsMinor);
    }
}

/// <summary>An old intake form was submitted again long after its case was created: the code is not shown again.</summary>
public sealed class IntakeExpiredException() : InvalidOperationException("This report form was already submitted.");
