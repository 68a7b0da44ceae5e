using System.Data.Common;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Cases.Data;

/// <summary>
/// Reads an encrypted column that a plain SQL read (not an EF Core entity) returned, with the same rule as the
/// context's own reads (<see cref="FieldPlaces"/>): the value must have been written for this table and column, and
/// for <paramref name="rowKey"/> (the row's key, or for rows whose key the database draws, the case they belong to).
/// </summary>
public static class PlacedFields
{
    /// <exception cref="FieldPlaceException">The value was written for another place; the read is refused.</exception>
    public static string? ReadPlaced(this PortalDbContext db, DbDataReader reader, int ordinal, string table, string column, string rowKey)
    {
        if (reader.IsDBNull(ordinal)) return null;
        var plain = db.Cipher.Decrypt(reader.GetFieldValue<byte[]>(ordinal), table, column, out var writtenFor);
        if (plain.Length > 0 && writtenFor is not null && writtenFor != rowKey) throw new FieldPlaceException(table, column, rowKey);
        return plain;
    }
}
