using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace OnSeoulSafe.Cases.Data;

/// <summary>
/// SQL that EF Core does not express (leases taken with <c>FOR UPDATE SKIP LOCKED</c>, counters bumped in one
/// statement), sent on the context's own connection and inside its transaction when one is open, so the queues'
/// statements and the context's saves commit together.
/// </summary>
public static class RawCommands
{
    public static async Task<DbCommand> CommandAsync(this DatabaseFacade database, string sql, CancellationToken cancellationToken)
    {
        var connection = database.GetDbConnection();
        if (connection.State != ConnectionState.Open) await database.OpenConnectionAsync(cancellationToken);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = database.CurrentTransaction?.GetDbTransaction();
        return command;
    }
}

/// <summary>The wait before the next try of work that failed: the base delay, four times longer per attempt made, capped.</summary>
public static class RetryBackoff
{
    public static TimeSpan Delay(TimeSpan baseDelay, TimeSpan maxDelay, int attempts)
    {
        var delay = baseDelay * Math.Pow(4, Math.Max(0, attempts - 1));
        return delay > maxDelay ? maxDelay : delay;
    }
}
