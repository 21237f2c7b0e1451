using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using ServiceAccounts.Core.Data;

namespace ServiceAccounts.Core.Audit;

/// <summary>
/// Appends many records at once, chained exactly as <see cref="AppDbContext"/> chains them, in one
/// transaction. On SQLite it uses one prepared INSERT instead of EF's per-entity work: this is the path
/// every API read goes through, so its cost is the API's cost.
/// </summary>
internal static class AuditBatchWriter
{
    private const int RowsPerInsert = 32;

    private static readonly string[] Columns =
    [
        "EntityId", "Sequence", "CreatedAt", "ActionType", "ActorType", "ActorId", "ActorHandle", "ActorDisplayName", "ActorIp",
        "ActorUserAgent", "IdentityId", "IdentityHandle", "TargetId", "TargetHandle", "TokenId", "Data", "PrevHash", "Hash",
    ];

    private const string UpsertHead = """
        INSERT INTO "AuditChainHeads" ("EntityId", "Sequence", "Hash") VALUES ($entity, $sequence, $hash)
        ON CONFLICT ("EntityId") DO UPDATE SET "Sequence" = excluded."Sequence", "Hash" = excluded."Hash"
        """;

    /// <param name="rowsPerInsert">
    /// Rows per INSERT. Microsoft.Data.Sqlite looks each parameter up by name in a list as long as the statement's,
    /// so binding grows with the square of the rows: a bulk load of many thousands of records is faster with a few
    /// rows per statement (AuditHistoryGenerator uses 4).
    /// </param>
    public static async Task AppendAsync(AppDbContext db, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken, int rowsPerInsert = RowsPerInsert)
    {
        if (records.Count == 0)
        {
            return;
        }
        if (!db.Database.IsSqlite())
        {
            db.AuditRecords.AddRange(records);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        var dbTransaction = transaction.GetDbTransaction();
        var entityIds = records.Select(r => r.EntityId).Distinct().ToList();
        var heads = await db.AuditChainHeads.AsNoTracking().Where(h => entityIds.Contains(h.EntityId)).ToDictionaryAsync(h => h.EntityId, h => (h.Sequence, h.Hash), cancellationToken);

        foreach (var record in records)
        {
            var (sequence, previous) = heads.GetValueOrDefault(record.EntityId, (0L, AuditRecord.GenesisHash));
            record.Seal(sequence + 1, previous);
            heads[record.EntityId] = (record.Sequence, record.Hash);
        }
        // Multi-row INSERTs: one statement per 32 records (by default) instead of one per record.
        DbCommand? full = null;
        try
        {
            for (var offset = 0; offset < records.Count; offset += rowsPerInsert)
            {
                var rows = Math.Min(rowsPerInsert, records.Count - offset);
                var command = rows == rowsPerInsert ? full ??= InsertCommand(connection, dbTransaction, rows) : InsertCommand(connection, dbTransaction, rows);
                for (var row = 0; row < rows; row++)
                {
                    var r = records[offset + row];
                    var p = row * Columns.Length;
                    object?[] values =
                    [
                        r.EntityId, r.Sequence, r.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture), r.ActionType,
                        r.ActorType.ToString(), r.ActorId, r.ActorHandle, r.ActorDisplayName, r.ActorIp, r.ActorUserAgent, r.IdentityId,
                        r.IdentityHandle, r.TargetId, r.TargetHandle, r.TokenId, r.Data, r.PrevHash, r.Hash,
                    ];
                    for (var c = 0; c < values.Length; c++)
                    {
                        command.Parameters[p + c].Value = values[c] ?? DBNull.Value;
                    }
                }
                await command.ExecuteNonQueryAsync(cancellationToken);
                if (command != full)
                {
                    await command.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
        await using var upsert = Command(connection, dbTransaction, UpsertHead, "$entity", "$sequence", "$hash");
        foreach (var entityId in entityIds)
        {
            var (sequence, hash) = heads[entityId];
            Set(upsert, entityId, sequence, hash);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static DbCommand InsertCommand(DbConnection connection, DbTransaction transaction, int rows)
    {
        var columns = string.Join(", ", Columns.Select(c => $"\"{c}\""));
        var values = string.Join(", ", Enumerable.Range(0, rows).Select(row =>
            "(" + string.Join(", ", Enumerable.Range(0, Columns.Length).Select(c => $"$p{row * Columns.Length + c}")) + ")"));
        var parameters = Enumerable.Range(0, rows * Columns.Length).Select(i => $"$p{i}").ToArray();
        return Command(connection, transaction, $"INSERT INTO \"AuditRecords\" ({columns}) VALUES {values}", parameters);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static void Set(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
