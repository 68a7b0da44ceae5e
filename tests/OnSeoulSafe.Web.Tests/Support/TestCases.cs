using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>Opens cases straight in the database for tests that need one, the way intake does.</summary>
public static class TestCases
{
    public static async Task<Case> OpenAsync(PortalDbContext db, DateTimeOffset now, bool minor = false, string? nickname = null, bool deletionConsent = false)
    {
        var number = await db.NextCaseNumberAsync(CancellationToken.None);
        var reference = CaseReference.New();
        var @case = Case.Open(number, reference, Guid.NewGuid().ToByteArray(), new Victim(nickname, "ko"), [CrimeType.DistributionWithoutConsent], "what happened", null,
            new RiskScreening(false, false, false, minor), SafeContact.PortalOnly, TestSecrets.Fingerprints.AccessCode(reference, AccessCode.Generate()), now);
        if (deletionConsent) @case.GiveConsent(ServiceTrackKind.Deletion, null, now);
        db.Cases.Add(@case);
        await db.SaveChangesAsync();
        return @case;
    }
}
