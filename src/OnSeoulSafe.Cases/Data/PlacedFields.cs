using System.Buffers;
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
        // The stored bytes are copied into a rented buffer rather than a new array for every value.
        var length = checked((int)reader.GetBytes(ordinal, 0, null, 0, 0));
        var stored = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            reader.GetBytes(ordinal, 0, stored, 0, length);
            return db.Cipher.DecryptAt(stored.AsSpan(0, length), table, column, rowKey);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(stored);
        }
    }
}
