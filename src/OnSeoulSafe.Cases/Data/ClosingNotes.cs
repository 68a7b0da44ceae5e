using System.Text;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Cases.Data;

/// <summary>Encrypts closing notes written before they were encrypted at rest (see the EncryptClosingNote migration).</summary>
public static class ClosingNotes
{
    /// <summary>
    /// Encrypts every note still marked as plain text (a leading 0 byte; an encrypted value starts with its format
    /// version, 1). Each row is written only if it is still plain, so instances starting together do no harm.
    /// Returns how many notes were encrypted.
    /// </summary>
    public static async Task<int> EncryptPlainClosingNotesAsync(this PortalDbContext db, CancellationToken cancellationToken)
    {
        var plain = await db.Database
            .SqlQueryRaw<PlainNote>("""SELECT "Id", "ClosingNote" AS "Stored" FROM "Cases" WHERE get_byte("ClosingNote", 0) = 0""")
            .ToListAsync(cancellationToken);
        foreach (var note in plain)
        {
            var encrypted = db.Cipher.Encrypt(Encoding.UTF8.GetString(note.Stored, 1, note.Stored.Length - 1),
                new FieldPlace("Cases", "ClosingNote", note.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""UPDATE "Cases" SET "ClosingNote" = {encrypted} WHERE "Id" = {note.Id} AND get_byte("ClosingNote", 0) = 0""",
                cancellationToken);
        }
        return plain.Count;
    }

    private sealed class PlainNote
    {
        public long Id { get; init; }
        public byte[] Stored { get; init; } = [];
    }
}
