using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ServiceAccounts.Core.Data;

/// <summary>
/// Per-connection SQLite settings: wait for a busy writer instead of failing, and sync less often under WAL.
/// Set once per connection object (a pooled context keeps its connection), not on every open.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 15000; PRAGMA synchronous = NORMAL;";
    private readonly ConditionalWeakTable<DbConnection, object> configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (configured.TryAdd(connection, Pragmas))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (configured.TryAdd(connection, Pragmas))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
