using Microsoft.EntityFrameworkCore;
using Npgsql;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Security;

/// <summary>The staff's closing note is free text about the victim: encrypted at rest like the narrative.</summary>
public sealed class ClosingNoteEncryptionTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string Note = "The victim moved to Busan and asked us to stop; 부산으로 이사했습니다.";

    private async Task<long> ClosedCaseAsync(string note)
    {
        await portal.SeedDemoAsync();
        return await portal.WithDbAsync(async db =>
        {
            var now = portal.Clock.GetUtcNow();
            var @case = await TestCases.OpenAsync(db, now);
            var companion = await db.Users.SingleAsync(u => u.Email == OnSeoulSafe.Web.Infrastructure.DemoData.Accounts[0].Email);
            @case.AssignTo(companion, await db.Users.Where(u => u.Id != companion.Id).Select(u => u.Id).FirstAsync(), now);
            @case.Close(CaseOutcome.Resolved, note, companion.Id, now);
            await db.SaveChangesAsync();
            return @case.Id;
        });
    }

    private async Task<byte[]> RawNoteAsync(long caseId)
    {
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "ClosingNote" FROM "Cases" WHERE "Id" = @id""", connection);
        command.Parameters.AddWithValue("id", caseId);
        return (byte[])(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_closing_note_is_not_readable_in_the_raw_table_and_reads_back_through_the_portal()
    {
        // Arrange
        var caseId = await ClosedCaseAsync(Note);

        // Act
        var raw = await RawNoteAsync(caseId);

        // Assert
        var text = System.Text.Encoding.UTF8.GetString(raw);
        text.ShouldNotContain("Busan");
        text.ShouldNotContain("부산");
        raw[0].ShouldBe(OnSeoulSafe.Cases.Protection.FieldCipher.PlacedFormatVersion, "the cipher's format version");
        (await portal.WithDbAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.ClosingNote).SingleAsync())).ShouldBe(Note);
    }

    [Fact]
    public async Task A_note_written_before_encryption_is_encrypted_once_at_start_up()
    {
        // Arrange: the migration marks a note it found in plain text with a leading 0 byte.
        var caseId = await ClosedCaseAsync("placeholder");
        await using (var connection = new NpgsqlConnection(portal.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """UPDATE "Cases" SET "ClosingNote" = '\x00'::bytea || convert_to(@note, 'UTF8') WHERE "Id" = @id""", connection);
            command.Parameters.AddWithValue("note", Note);
            command.Parameters.AddWithValue("id", caseId);
            await command.ExecuteNonQueryAsync();
        }

        // Act
        var encrypted = await portal.WithDbAsync(db => db.EncryptPlainClosingNotesAsync(CancellationToken.None));
        var again = await portal.WithDbAsync(db => db.EncryptPlainClosingNotesAsync(CancellationToken.None));

        // Assert
        encrypted.ShouldBeGreaterThanOrEqualTo(1);
        again.ShouldBe(0);
        System.Text.Encoding.UTF8.GetString(await RawNoteAsync(caseId)).ShouldNotContain("Busan");
        (await portal.WithDbAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.ClosingNote).SingleAsync())).ShouldBe(Note);
    }
}
