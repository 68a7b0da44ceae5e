using System.Net;
using Npgsql;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Security;

/// <summary>
/// A value in the old format (version 1) names no place, so one copied from another row would decrypt anywhere: the
/// serving portal refuses it like a misplaced value, and the migration step binds any left over to its row.
/// </summary>
public sealed class OldFormatCiphertextTests(LogCanaryTests.RecordingPortal portal) : IClassFixture<LogCanaryTests.RecordingPortal>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static SafeContact Phone(string number) => new(ContactChannel.Text, number, null, null, null, false, "umbrella");

    /// <summary>Writes <paramref name="plain"/> in the old format over a case's phone number, as SQL by the owner would.</summary>
    private async Task PlantOldFormatPhoneAsync(long caseId, string plain)
    {
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""UPDATE "Cases" SET "ContactPhone" = @v WHERE "Id" = @id""", connection);
        command.Parameters.AddWithValue("v", TestSecrets.Cipher.Encrypt(plain));
        command.Parameters.AddWithValue("id", caseId);
        (await command.ExecuteNonQueryAsync()).ShouldBe(1);
    }

    private async Task<byte[]> StoredPhoneAsync(long caseId)
    {
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "ContactPhone" FROM "Cases" WHERE "Id" = @id""", connection);
        command.Parameters.AddWithValue("id", caseId);
        return (byte[])(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task An_old_format_value_planted_in_a_row_is_refused_and_logged()
    {
        // Arrange: a case the companion can open, then another victim's number planted in it in the old format.
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion, contact: Phone("010-6666-0006"));
        var caseId = await portal.CaseIdAsync(reference);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        (await browser.GetAsync(CompanionWorld.FileUrl(reference))).Text().ShouldContain("010-6666-0006");
        await PlantOldFormatPhoneAsync(caseId, "010-7777-0007");

        // Act
        var response = await browser.GetRawAsync(CompanionWorld.FileUrl(reference));
        var html = await response.Content.ReadAsStringAsync();

        // Assert: the refusal page, neither number, a log line naming the place and the old format only.
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        html.ShouldContain("A protected field could not be shown");
        html.ShouldNotContain("010-7777-0007");
        html.ShouldNotContain("010-6666-0006");
        var refusal = portal.Logs.Lines.Where(l => l.Contains("Refused an encrypted value not written for its place", StringComparison.Ordinal)).ToList();
        refusal.ShouldNotBeEmpty();
        refusal[^1].ShouldContain("Cases.ContactPhone, row (old format, bound to no place)");
        portal.Logs.Lines.ShouldNotContain(l => l.Contains("010-7777-0007", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_migration_step_binds_an_old_format_value_to_its_row_so_it_reads_again()
    {
        // Arrange: the case's own number, left in the old format (as rows written before the bound format are).
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion, contact: Phone("010-8888-0008"));
        var caseId = await portal.CaseIdAsync(reference);
        await PlantOldFormatPhoneAsync(caseId, "010-8888-0008");
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        (await browser.GetRawAsync(CompanionWorld.FileUrl(reference))).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // Act: the migration step, as the owner, before the portal serves; run twice, the second finds nothing to do.
        string[] step =
        [
            PortalDatabase.MigrateArgument,
            $"--ConnectionStrings:{PortalDatabase.OwnerConnectionStringName}={portal.ConnectionString}",
            $"--Portal:Secrets:EncryptionKeys:1={TestSecrets.EncryptionKey1}",
            "--Portal:Secrets:ActiveEncryptionKey=1",
            $"--Portal:Secrets:HmacKey={TestSecrets.HmacKey}",
        ];
        (await PortalDatabase.MigrateOnlyIfAskedAsync(step)).ShouldBeTrue();
        var upgraded = await StoredPhoneAsync(caseId);
        (await PortalDatabase.MigrateOnlyIfAskedAsync(step)).ShouldBeTrue();

        // Assert: bound to its row, unchanged by the second run, and shown again.
        upgraded[0].ShouldBe(FieldCipher.PlacedFormatVersion);
        TestSecrets.Cipher.Decrypt(upgraded, "Cases", "ContactPhone", out var rowKey).ShouldBe("010-8888-0008");
        rowKey.ShouldBe(caseId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await StoredPhoneAsync(caseId)).ShouldBe(upgraded);
        var page = await browser.GetRawAsync(CompanionWorld.FileUrl(reference));
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).ShouldContain("010-8888-0008");
    }
}
