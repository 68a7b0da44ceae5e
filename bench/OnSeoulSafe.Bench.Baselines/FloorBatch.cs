using Npgsql;

namespace OnSeoulSafe.Bench;

/// <summary>
/// A database floor's work for one request: its statements in one batch, one round trip, every value read. A batch
/// without a transaction runs as one implicit transaction. Shared by the load generator (the floor sent straight to
/// PostgreSQL) and the baselines server (the same floor behind bare Kestrel).
/// </summary>
public static class FloorBatch
{
    /// <summary>As the portal connects: statements prepared automatically, connections returned without a reset.</summary>
    public static NpgsqlDataSource DataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        return builder.Build();
    }

    public static async Task RunAsync(NpgsqlDataSource sql, IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        await using var connection = await sql.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var statement in statements) batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < reader.FieldCount; i++) _ = reader.GetValue(i);
            }
        }
        while (await reader.NextResultAsync(cancellationToken));
    }
}
