using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ServiceAccounts.Tests.Core.Audit;

/// <summary>The failure an armed <see cref="FailingAuditInsert"/> throws: an outage at the worst moment.</summary>
public sealed class InjectedAuditFailure() : Exception("Injected failure: the audit record could not be written.");

/// <summary>Makes every INSERT into AuditRecords throw while <see cref="Armed"/>, to prove a change never lands without its record.</summary>
internal sealed class FailingAuditInsert : DbCommandInterceptor
{
    private int failures;

    public bool Armed { get; set; }

    /// <summary>How many audit inserts were stopped: proves the failure really happened where the test meant it to.</summary>
    public int Failures => Volatile.Read(ref failures);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        FailIfAuditInsert(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        FailIfAuditInsert(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        FailIfAuditInsert(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        FailIfAuditInsert(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        FailIfAuditInsert(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        FailIfAuditInsert(command);
        return ValueTask.FromResult(result);
    }

    private void FailIfAuditInsert(DbCommand command)
    {
        if (Armed && command.CommandText.Contains("INSERT INTO \"AuditRecords\"", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref failures);
            throw new InjectedAuditFailure();
        }
    }
}
