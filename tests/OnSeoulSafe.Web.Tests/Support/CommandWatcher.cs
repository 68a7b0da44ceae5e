using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>
/// Sees every command before it runs, whether EF Core sends it as a query or as a non-query: a report's one command of
/// INSERTs goes through either, so a test watching for a table's INSERT must look at both.
/// </summary>
public abstract class CommandWatcher : DbCommandInterceptor
{
    protected abstract void Seen(DbCommand command);

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }
}
