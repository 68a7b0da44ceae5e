using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Security;

/// <summary>
/// An encrypted value is bound to its table, column and row: copied elsewhere in the database, it is refused on read,
/// the refusal is logged without the value, and staff see a clear page instead of another victim's data.
/// </summary>
public sealed class FieldPlaceTests(LogCanaryTests.RecordingPortal portal) : IClassFixture<LogCanaryTests.RecordingPortal>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static SafeContact Phone(string number) => new(ContactChannel.Text, number, null, null, null, false, "umbrella");

    private async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Two_victims_phone_numbers_swapped_in_the_database_are_refused_and_logged()
    {
        // Arrange: two cases with different phone numbers, both assigned to the same companion.
        var first = await portal.OpenCaseAsync("first narrative", assignTo: CompanionWorld.Companion, contact: Phone("010-1111-0001"));
        var second = await portal.OpenCaseAsync("second narrative", assignTo: CompanionWorld.Companion, contact: Phone("010-2222-0002"));
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        (await browser.GetAsync(CompanionWorld.FileUrl(first))).Text().ShouldContain("010-1111-0001");
        var firstId = await portal.CaseIdAsync(first);
        var secondId = await portal.CaseIdAsync(second);

        // Act: whoever can write the table swaps the two ciphertexts.
        (await ExecuteAsync(
            """
            UPDATE "Cases" c SET "ContactPhone" = o."ContactPhone"
            FROM "Cases" o WHERE (c."Id", o."Id") IN ((@a, @b), (@b, @a))
            """, ("a", firstId), ("b", secondId))).ShouldBe(2);
        var response = await browser.GetRawAsync(CompanionWorld.FileUrl(first));
        var html = await response.Content.ReadAsStringAsync();

        // Assert: no 500, no phone number of either victim, a clear explanation, and a log line naming only the place.
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        html.ShouldContain("A protected field could not be shown");
        html.ShouldNotContain("010-2222-0002");
        html.ShouldNotContain("010-1111-0001");
        var refusal = portal.Logs.Lines.Where(l => l.Contains("Refused an encrypted value not written for its place", StringComparison.Ordinal)).ToList();
        refusal.ShouldNotBeEmpty();
        refusal[^1].ShouldContain($"Cases.ContactPhone, row {firstId}");
        portal.Logs.Lines.ShouldNotContain(l => l.Contains("010-2222-0002", StringComparison.Ordinal) || l.Contains("010-1111-0001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_narratives_swapped_in_the_database_are_refused_on_the_case_file()
    {
        // Arrange: the case file reads its narrative with plain SQL, not as an entity; the row check must hold there too.
        var first = await portal.OpenCaseAsync("the first victim's own words", assignTo: CompanionWorld.Companion);
        var second = await portal.OpenCaseAsync("the second victim's own words", assignTo: CompanionWorld.Companion);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        (await browser.GetAsync(CompanionWorld.FileUrl(first))).Text().ShouldContain("the first victim's own words");
        var firstId = await portal.CaseIdAsync(first);
        var secondId = await portal.CaseIdAsync(second);

        // Act
        (await ExecuteAsync(
            """
            UPDATE "Narratives" n SET "Text" = o."Text"
            FROM "Narratives" o WHERE (n."CaseId", o."CaseId") IN ((@a, @b), (@b, @a))
            """, ("a", firstId), ("b", secondId))).ShouldBe(2);
        var response = await browser.GetRawAsync(CompanionWorld.FileUrl(first));
        var html = await response.Content.ReadAsStringAsync();

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        html.ShouldContain("A protected field could not be shown");
        html.ShouldNotContain("own words");
        portal.Logs.Lines.ShouldContain(l => l.Contains($"Narratives.Text, row {firstId}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_value_copied_into_another_column_fails_to_decrypt()
    {
        // Arrange
        var reference = await portal.OpenCaseAsync("narrative", contact: Phone("010-3333-0003"));
        var caseId = await portal.CaseIdAsync(reference);

        // Act: the phone ciphertext is copied over the safe word of the same row.
        await ExecuteAsync("""UPDATE "Cases" SET "ContactSafeWord" = "ContactPhone" WHERE "Id" = @id""", ("id", caseId));

        // Assert
        var refused = await Should.ThrowAsync<FieldPlaceException>(
            portal.WithDbAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.SafeContact.SafeWord).SingleAsync()));
        refused.Column.ShouldBe("ContactSafeWord");
        refused.Message.ShouldNotContain("010-3333");
    }

    [Fact]
    public async Task Values_are_written_in_the_bound_format_and_read_back_in_their_own_row()
    {
        // Arrange
        var reference = await portal.OpenCaseAsync("bound narrative", contact: Phone("010-4444-0004"));
        var caseId = await portal.CaseIdAsync(reference);

        // Act
        var read = await portal.WithDbAsync(db => db.Cases.Include(c => c.Narrative).SingleAsync(c => c.Id == caseId));
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "ContactPhone" FROM "Cases" WHERE "Id" = @id""", connection);
        command.Parameters.AddWithValue("id", caseId);
        var raw = (byte[])(await command.ExecuteScalarAsync())!;

        // Assert
        read.SafeContact.PhoneNumber.ShouldBe("010-4444-0004");
        read.Narrative!.Text.ShouldBe("bound narrative");
        raw[0].ShouldBe(FieldCipher.PlacedFormatVersion);
    }
}
