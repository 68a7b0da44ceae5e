using System.Security.Cryptography;

namespace OnSeoulSafe.Cases.Protection;

/// <summary>Where an encrypted value lives: its table, its column and the key of the row it belongs to.</summary>
public readonly record struct FieldPlace(string Table, string Column, string RowKey);

/// <summary>
/// An encrypted value read from a place it was not written for (copied from another row, column or table), or in the
/// old format that names no place (it would decrypt wherever it was copied). The read is refused. The message names
/// only the place, never the value.
/// </summary>
public sealed class FieldPlaceException(string table, string column, string? rowKey, bool oldFormat = false)
    : CryptographicException(oldFormat
        ? $"An encrypted value in {table}.{column} is in the old format, bound to no place; the read is refused until the migration step upgrades it."
        : rowKey is null
        ? $"An encrypted value in {table}.{column} was not written for that column or was altered; the read is refused."
        : $"An encrypted value in {table}.{column} of row {rowKey} was written for another row; the read is refused.")
{
    public string Table { get; } = table;
    public string Column { get; } = column;
    public string? RowKey { get; } = rowKey;

    /// <summary>The value is in format version 1, which binds it to no place.</summary>
    public bool OldFormat { get; } = oldFormat;
}
