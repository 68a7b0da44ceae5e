using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Cases.Data;

/// <summary>Progress of the re-encryption job: one line per batch.</summary>
public sealed record ReencryptionProgress(string Table, string Column, long Read, long Moved);

/// <summary>
/// Moves every encrypted value to the active key and the newest format (bound to its place): the upgrade after the
/// format change and the second half of a key rotation. It walks each table in primary-key order, a batch at a time,
/// each batch its own transaction; a value already current is left alone, so stopping and starting again resumes
/// where it left off. Each row is rewritten only if it still holds the value read (compare and set), so a portal
/// writing at the same time wins. A value that is not where it was written is not moved: it is counted and left
/// for a person to look at.
/// </summary>
public static class FieldReencryption
{
    public static Task<(long Moved, long Refused)> RunAsync(
        PortalDbContext db, int batchSize, Action<ReencryptionProgress> progress, CancellationToken cancellationToken) =>
        RunAsync(db, batchSize, unplacedOnly: false, progress, cancellationToken);

    /// <param name="unplacedOnly">
    /// Only the values still in format version 1 (bound to no place), as the migration step does before the portal
    /// serves, which refuses them; values under an older key but already bound are left for a rotation run.
    /// </param>
    public static async Task<(long Moved, long Refused)> RunAsync(
        PortalDbContext db, int batchSize, bool unplacedOnly, Action<ReencryptionProgress> progress, CancellationToken cancellationToken)
    {
        long moved = 0, refused = 0;
        foreach (var entityType in db.Model.GetEntityTypes())
        {
            var rowKeyName = FieldPlaces.RowKeyPropertyName(entityType);
            if (rowKeyName is null) continue;
            var key = entityType.FindPrimaryKey()!.Properties.Single();
            var rowKeyColumn = rowKeyName.Length == 0 ? null : entityType.FindProperty(rowKeyName)!.GetColumnName();
            foreach (var (property, _) in FieldPlaces.EncryptedProperties(entityType))
            {
                var (columnMoved, columnRefused) = await ColumnAsync(db, entityType.GetTableName()!, key.GetColumnName(), rowKeyColumn,
                    property.GetColumnName(), batchSize, unplacedOnly, progress, cancellationToken);
                moved += columnMoved;
                refused += columnRefused;
            }
        }
        return (moved, refused);
    }

    private static async Task<(long Moved, long Refused)> ColumnAsync(
        PortalDbContext db, string table, string keyColumn, string? rowKeyColumn, string column, int batchSize, bool unplacedOnly,
        Action<ReencryptionProgress> progress, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(cancellationToken);
        var rowKeySql = rowKeyColumn is null ? "NULL" : $"\"{rowKeyColumn}\"::text";
        object? after = null;
        long read = 0, moved = 0, refused = 0;
        while (true)
        {
            var rows = new List<(object Key, string? RowKey, byte[] Stored)>();
            await using (var select = connection.CreateCommand())
            {
                select.CommandText = $"""
                    SELECT "{keyColumn}" AS row_id, {rowKeySql} AS row_key, "{column}" AS stored FROM "{table}"
                    WHERE "{column}" IS NOT NULL {(unplacedOnly ? $"AND get_byte(\"{column}\", 0) = 1" : "")}
                    {(after is null ? "" : $"AND \"{keyColumn}\" > @after")}
                    ORDER BY "{keyColumn}" LIMIT {batchSize}
                    """;
                if (after is not null) AddParameter(select, "after", after);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add((reader.GetValue(0), reader.IsDBNull(1) ? null : reader.GetString(1), (byte[])reader.GetValue(2)));
                }
            }
            if (rows.Count == 0) break;
            after = rows[^1].Key;
            read += rows.Count;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var (key, rowKey, stored) in rows)
            {
                if (db.Cipher.IsCurrent(stored) && HoldsRowKey(stored, rowKey)) continue;
                string plain;
                try
                {
                    plain = db.Cipher.DecryptForUpgrade(stored, table, column, out var writtenFor);
                    if (writtenFor is not null && writtenFor != (rowKey ?? "") && plain.Length > 0) throw new FieldPlaceException(table, column, rowKey);
                }
                catch (FieldPlaceException)
                {
                    refused++;
                    continue;
                }
                var place = new FieldPlace(table, column, plain.Length == 0 ? "" : rowKey ?? "");
                await using var update = connection.CreateCommand();
                update.Transaction = transaction.GetDbTransaction();
                update.CommandText = $"""UPDATE "{table}" SET "{column}" = @new WHERE "{keyColumn}" = @key AND "{column}" = @old""";
                AddParameter(update, "new", db.Cipher.Encrypt(plain, place));
                AddParameter(update, "key", key);
                AddParameter(update, "old", stored);
                moved += await update.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            progress(new ReencryptionProgress(table, column, read, moved));
        }
        return (moved, refused);
    }

    // A current value written for another row (copied there under the active key) is not current for this one.
    private static bool HoldsRowKey(byte[] stored, string? rowKey) =>
        System.Text.Encoding.UTF8.GetString(stored, 6, stored[5]) is var written && (written.Length == 0 || written == (rowKey ?? ""));

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
