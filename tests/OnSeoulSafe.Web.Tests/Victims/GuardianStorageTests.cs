using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Retention;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

/// <summary>A minor's guardians in the database: the contact of a safe guardian encrypted, an unsafe one's removed.</summary>
public sealed class GuardianStorageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 6, 2, 1, 0, 0, TimeSpan.Zero);
    private PortalDbContext _db = null!;

    public async Task InitializeAsync() =>
        _db = PortalDatabaseTemplate.NewContext(await PortalDatabaseTemplate.CreateDatabaseAsync("guardians"), TestSecrets.Cipher);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_safe_guardians_contact_is_stored_encrypted_and_an_unsafe_guardian_keeps_none_after_a_reload()
    {
        // Arrange
        var @case = await TestCases.OpenAsync(_db, Now, minor: true);
        @case.NameSafeGuardian(GuardianRelation.Mother, "010-2222-3333", Now);
        @case.NameSafeGuardian(GuardianRelation.Father, "010-4444-5555", Now);
        await _db.SaveChangesAsync();

        // Act: later, on a fresh load, she says her father may be the offender.
        _db.ChangeTracker.Clear();
        var reloaded = await _db.Cases.Include(c => c.Guardians).SingleAsync(c => c.Id == @case.Id);
        reloaded.MarkGuardianUnsafe(GuardianRelation.Father, Now.AddDays(1));
        await _db.SaveChangesAsync();
        _db.ChangeTracker.Clear();
        var final = await _db.Cases.Include(c => c.Guardians).SingleAsync(c => c.Id == @case.Id);
        var stored = await _db.Database.SqlQueryRaw<byte[]>("SELECT \"Contact\" AS \"Value\" FROM \"Guardians\" WHERE \"Contact\" IS NOT NULL").ToListAsync();

        // Assert
        final.EnsureMayContactGuardian(GuardianRelation.Mother).ShouldBe("010-2222-3333");
        Should.Throw<DomainRuleException>(() => final.EnsureMayContactGuardian(GuardianRelation.Father)).Rule.ShouldBe("guardian.unsafe");
        var only = stored.ShouldHaveSingleItem();
        System.Text.Encoding.UTF8.GetString(only).ShouldNotContain("010-2222-3333");
        only.Length.ShouldBeGreaterThan("010-2222-3333".Length);
    }

    [Fact]
    public async Task Erasing_the_case_removes_every_guardians_contact()
    {
        // Arrange
        var @case = await TestCases.OpenAsync(_db, Now, minor: true);
        @case.NameSafeGuardian(GuardianRelation.Mother, "010-2222-3333", Now);
        await _db.SaveChangesAsync();
        _db.ChangeTracker.Clear();

        // Act: erasure loads the case itself, as the erasure request does.
        await CaseErasure.EraseAsync(_db, @case.Id, Now.AddDays(1), default);
        await _db.SaveChangesAsync();

        // Assert
        var contacts = await _db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM \"Guardians\" WHERE \"CaseId\" = {0} AND \"Contact\" IS NOT NULL", @case.Id).SingleAsync();
        contacts.ShouldBe(0);
    }
}
