using Microsoft.Data.Sqlite;

namespace ServiceAccounts.Tests.Core.Audit;

/// <summary>
/// Plain SQL on the test's database file through a connection of its own, bypassing EF and Core:
/// how a tamperer (or a direct check of what is really stored) reaches the data.
/// </summary>
internal static class RawDatabase
{
    public static async Task<SqliteConnection> OpenAsync(string databasePath)
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>
    /// Drops the triggers that make audit records append-only, as someone with write access to the database
    /// file could: the hash chain must still tell what they did next.
    /// </summary>
    public static async Task DisableAppendOnlyAsync(string databasePath)
    {
        await ExecuteAsync(databasePath, "DROP TRIGGER \"AuditRecords_NoUpdate\"; DROP TRIGGER \"AuditRecords_NoDelete\";");
    }

    public static async Task<int> ExecuteAsync(string databasePath, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(databasePath);
        return await ExecuteAsync(connection, sql, parameters);
    }

    public static async Task<int> ExecuteAsync(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<long> ScalarAsync(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }
}
