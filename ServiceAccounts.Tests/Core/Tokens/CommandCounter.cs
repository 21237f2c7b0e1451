using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ServiceAccounts.Tests.Core.Tokens;

/// <summary>Counts every connection EF opens and every command it sends, to prove some work never reaches the database.</summary>
internal sealed class CommandCounter : IDbCommandInterceptor, IDbConnectionInterceptor
{
    private int commands;
    private int connections;

    public int Commands => Volatile.Read(ref commands);
    public int Connections => Volatile.Read(ref connections);

    public void Reset()
    {
        Interlocked.Exchange(ref commands, 0);
        Interlocked.Exchange(ref connections, 0);
    }

    public InterceptionResult<DbCommand> CommandCreating(CommandCorrelatedEventData eventData, InterceptionResult<DbCommand> result)
    {
        Interlocked.Increment(ref commands);
        return result;
    }

    public InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Interlocked.Increment(ref connections);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref connections);
        return ValueTask.FromResult(result);
    }
}
