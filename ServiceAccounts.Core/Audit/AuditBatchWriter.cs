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
    private const string InsertRecord = """
        INSERT INTO "AuditRecords" ("EntityId", "Sequence", "CreatedAt", "ActionType", "ActorType", "ActorId", "ActorHandle",
            "ActorDisplayName", "ActorIp", "ActorUserAgent", "IdentityId", "IdentityHandle", "TargetId", "TargetHandle", "TokenId",
            "Data", "PrevHash", "Hash")
        VALUES ($entity, $sequence, $createdAt, $action, $actorType, $actorId, $actorHandle, $actorDisplayName, $actorIp, $userAgent,
            $identityId, $identityHandle, $targetId, $targetHandle, $tokenId, $data, $prevHash, $hash)
        """;

    private const string UpsertHead = """
        INSERT INTO "AuditChainHeads" ("EntityId", "Sequence", "Hash") VALUES ($entity, $sequence, $hash)
        ON CONFLICT ("EntityId") DO UPDATE SET "Sequence" = excluded."Sequence", "Hash" = excluded."Hash"
        """;

    public static async Task AppendAsync(AppDbContext db, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
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

        await using var insert = Command(connection, dbTransaction, InsertRecord,
            "$entity", "$sequence", "$createdAt", "$action", "$actorType", "$actorId", "$actorHandle", "$actorDisplayName", "$actorIp", "$userAgent",
            "$identityId", "$identityHandle", "$targetId", "$targetHandle", "$tokenId", "$data", "$prevHash", "$hash");
        foreach (var record in records)
        {
            var (sequence, previous) = heads.GetValueOrDefault(record.EntityId, (0L, AuditRecord.GenesisHash));
            record.Seal(sequence + 1, previous);
            heads[record.EntityId] = (record.Sequence, record.Hash);
            Set(insert, record.EntityId, record.Sequence, record.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
                record.ActionType, record.ActorType.ToString(), record.ActorId, record.ActorHandle, record.ActorDisplayName, record.ActorIp, record.ActorUserAgent,
                record.IdentityId, record.IdentityHandle, record.TargetId, record.TargetHandle, record.TokenId, record.Data, record.PrevHash, record.Hash);
            await insert.ExecuteNonQueryAsync(cancellationToken);
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
