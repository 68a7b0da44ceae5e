using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Security;

/// <summary>
/// The re-encryption job moves every value to the active key and the bound format (a key rotation and the format
/// upgrade at once), and resumes after being stopped midway.
/// </summary>
public sealed class FieldReencryptionTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static readonly (string Table, string Column)[] Columns =
        [("Cases", "ContactPhone"), ("Cases", "ContactSafeWord"), ("Narratives", "Text")];

    private async Task<List<byte[]>> StoredAsync()
    {
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        var values = new List<byte[]>();
        foreach (var (table, column) in Columns)
        {
            await using var command = new NpgsqlCommand($"""SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL""", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) values.Add((byte[])reader.GetValue(0));
        }
        return values;
    }

    [Fact]
    public async Task Old_format_and_old_key_values_all_move_to_the_new_key_and_a_stopped_run_resumes()
    {
        // Arrange: three cases; their phone numbers rewritten in the old format (version 1, no place bound).
        var phones = new Dictionary<string, string>();
        for (var i = 1; i <= 3; i++)
        {
            var phone = $"010-5555-000{i}";
            phones[await portal.OpenCaseAsync($"narrative {i}", contact: new SafeContact(ContactChannel.Text, phone, null, null, null, false, "umbrella"))] = phone;
        }
        await using (var connection = new NpgsqlConnection(portal.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var (reference, phone) in phones)
            {
                await using var command = new NpgsqlCommand("""UPDATE "Cases" SET "ContactPhone" = @v WHERE "Reference" = @r""", connection);
                command.Parameters.AddWithValue("v", TestSecrets.Cipher.Encrypt(phone));
                command.Parameters.AddWithValue("r", reference);
                (await command.ExecuteNonQueryAsync()).ShouldBe(1);
            }
        }
        var total = (await StoredAsync()).Count;
        total.ShouldBeGreaterThanOrEqualTo(9);
        using var rotated = new FieldCipher(new Dictionary<int, byte[]>
        {
            [1] = Convert.FromBase64String(TestSecrets.EncryptionKey1),
            [2] = RandomNumberGenerator.GetBytes(32),
        }, activeKeyId: 2);
        var options = (DbContextOptions<PortalDbContext>)new DbContextOptionsBuilder<PortalDbContext>()
            .UsePortalDatabase(portal.ConnectionString).UseFieldCipher(rotated).Options;

        // Act 1: stopped after its first batch of one row.
        using var stop = new CancellationTokenSource();
        var reports = new List<ReencryptionProgress>();
        await using (var db = new PortalDbContext(options))
        {
            (await Should.ThrowAsync<Exception>(FieldReencryption.RunAsync(db, 1, p => { reports.Add(p); stop.Cancel(); }, stop.Token)))
                .ShouldBeAssignableTo<OperationCanceledException>();
        }
        var afterStop = await StoredAsync();

        // Act 2: run again to the end, then once more.
        var resumed = new List<ReencryptionProgress>();
        (long Moved, long Refused) second, third;
        await using (var db = new PortalDbContext(options)) second = await FieldReencryption.RunAsync(db, 2, resumed.Add, CancellationToken.None);
        await using (var db = new PortalDbContext(options)) third = await FieldReencryption.RunAsync(db, 2, _ => { }, CancellationToken.None);

        // Assert
        reports.Count.ShouldBe(1);
        afterStop.Count(v => rotated.IsCurrent(v)).ShouldBeLessThan(total, "the stopped run left work to do");
        resumed.ShouldNotBeEmpty();
        second.Refused.ShouldBe(0);
        var final = await StoredAsync();
        final.ShouldAllBe(v => v[0] == FieldCipher.PlacedFormatVersion && FieldCipher.KeyIdOf(v) == 2);
        third.Moved.ShouldBe(0, "nothing left to move");
        await using (var db = new PortalDbContext(options))
        {
            foreach (var (reference, phone) in phones)
            {
                var @case = await db.Cases.Include(c => c.Narrative).SingleAsync(c => c.Reference == reference);
                @case.SafeContact.PhoneNumber.ShouldBe(phone);
                @case.SafeContact.SafeWord.ShouldBe("umbrella");
                @case.Narrative.Text.ShouldStartWith("narrative ");
            }
        }
    }
}
