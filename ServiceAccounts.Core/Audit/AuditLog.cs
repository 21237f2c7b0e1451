using System.Text;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Core.Audit;

public sealed class AuditLog(Db db, TimeProvider clock)
{
    private const string CursorVersion = "v1:";

    /// <summary>Support staff opening the same account's log again within this period are not recorded again.</summary>
    public static readonly TimeSpan SupportViewInterval = TimeSpan.FromHours(1);

    private const int ExportBatchSize = 1000;

    /// <summary>
    /// One service account's records (those whose identity it is), newest first, a page at a time.
    /// When support staff open the log (first page), a support.audit_log.view record tells the owners
    /// (at most once per support user, account and hour).
    /// </summary>
    public async Task<Result<AuditPage>> QueryAsync(Actor actor, EntityRef entityRef, string accountKey, AuditQuery query, CancellationToken cancellationToken = default)
    {
        if (query.Limit is < 1 or > AuditQuery.MaxLimit)
        {
            return Result.Invalid("limit", $"Limit must be between 1 and {AuditQuery.MaxLimit}.");
        }
        PageCursor? cursor = null;
        if (query.Cursor is not null)
        {
            cursor = DecodePageCursor(query.Cursor);
            if (cursor is null)
            {
                return Result.Invalid("next_token", "The page token is not valid; start again from the first page.");
            }
        }
        if (Validate(query) is { } invalid)
        {
            return invalid;
        }
        if (actor.Type == ActorType.Support && cursor is null)
        {
            var noted = await NoteSupportAsync(actor, entityRef, accountKey, AuditActions.SupportAuditLogView, query, cancellationToken);
            if (!noted.IsOk)
            {
                return noted.AsFailure();
            }
        }
        return await db.ReadAsync(async context =>
        {
            var loaded = await ServiceAccountAccess.LoadAsync(context, actor, entityRef, accountKey, AccountOperation.Read, cancellationToken);
            if (!loaded.IsOk)
            {
                return loaded.AsFailure();
            }
            var matching = Filter(context, loaded.Value!.Account.Id, query);
            if (cursor is { Newer: true, Id: var newerThan })
            {
                // The page just above: the records closest to the cursor going up, shown newest first like every page.
                var above = await matching.Where(r => r.Id > newerThan).OrderBy(r => r.Id).Take(query.Limit + 1).Select(ViewProjection).ToListAsync(cancellationToken);
                if (above.Count > 0)
                {
                    var items = above.Take(query.Limit).Reverse().ToList();
                    var previous = above.Count > query.Limit ? EncodeCursor(items[0].Id, newer: true) : null;
                    var lastId = items[^1].Id;
                    var next = await matching.AnyAsync(r => r.Id < lastId, cancellationToken) ? EncodeCursor(lastId) : null;
                    return Result.Ok(new AuditPage(items, next, previous));
                }
                // Nothing newer any more: that is the newest page.
                cursor = null;
            }
            var records = cursor is { Id: var olderThan } ? matching.Where(r => r.Id < olderThan) : matching;
            var page = await records.OrderByDescending(r => r.Id).Take(query.Limit + 1).Select(ViewProjection).ToListAsync(cancellationToken);
            var nextCursor = page.Count > query.Limit ? EncodeCursor(page[query.Limit - 1].Id) : null;
            string? previousCursor = null;
            if (cursor is { Id: var below })
            {
                // A page reached through a cursor has a page above it when a matching record is newer than its first one
                // (or, for a page past the end, at or above the cursor).
                var firstId = page.Count > 0 ? page[0].Id : below - 1;
                previousCursor = await matching.AnyAsync(r => r.Id > firstId, cancellationToken) ? EncodeCursor(firstId, newer: true) : null;
            }
            return Result.Ok(new AuditPage(page.Take(query.Limit).ToList(), nextCursor, previousCursor));
        }, cancellationToken);
    }

    /// <summary>
    /// Every record of the query (its filters; limit and cursor are ignored), newest first, streamed in
    /// batches so that a million records never sit in memory. Support staff exporting is recorded
    /// (support.audit_log.export) before anything is returned.
    /// </summary>
    public async Task<Result<IAsyncEnumerable<AuditRecordView>>> ExportAsync(Actor actor, EntityRef entityRef, string accountKey, AuditQuery query, CancellationToken cancellationToken = default)
    {
        if (Validate(query) is { } invalid)
        {
            return invalid;
        }
        var account = await db.ReadAsync(async context =>
        {
            var loaded = await ServiceAccountAccess.LoadAsync(context, actor, entityRef, accountKey, AccountOperation.Read, cancellationToken);
            return loaded.IsOk ? Result.Ok(loaded.Value!.Account.Id) : loaded.AsFailure();
        }, cancellationToken);
        if (!account.IsOk)
        {
            return account.AsFailure();
        }
        if (actor.Type == ActorType.Support)
        {
            var noted = await NoteSupportAsync(actor, entityRef, accountKey, AuditActions.SupportAuditLogExport, query, cancellationToken);
            if (!noted.IsOk)
            {
                return noted.AsFailure();
            }
        }
        return Result.Ok(StreamAsync(account.Value!, query, cancellationToken));
    }

    private async IAsyncEnumerable<AuditRecordView> StreamAsync(string accountId, AuditQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long? after = null;
        while (true)
        {
            var batch = await db.ReadAsync(async context =>
            {
                var records = Filter(context, accountId, query);
                if (after is { } lastId)
                {
                    records = records.Where(r => r.Id < lastId);
                }
                return Result.Ok(await records.OrderByDescending(r => r.Id).Take(ExportBatchSize).Select(ViewProjection).ToListAsync(cancellationToken));
            }, cancellationToken);
            foreach (var record in batch.Value!)
            {
                yield return record;
            }
            if (batch.Value!.Count < ExportBatchSize)
            {
                yield break;
            }
            after = batch.Value[^1].Id;
        }
    }

    private static Failure? Validate(AuditQuery query)
    {
        if (query.From is { } from && query.To is { } to && from > to)
        {
            return Result.Invalid("from", "From must be before To.");
        }
        if (query.Actions?.FirstOrDefault(a => !AuditActions.All.Contains(a)) is { } unknown)
        {
            return Result.Invalid("action", $"'{unknown}' is not an audit action.");
        }
        return null;
    }

    private static IQueryable<AuditRecord> Filter(AppDbContext context, string accountId, AuditQuery query)
    {
        var records = context.AuditRecords.Where(r => r.IdentityId == accountId);
        if (query.Actions is { Count: > 0 } actions)
        {
            // One arm per action (UNION ALL), each read newest first from the (IdentityId, ActionType, Id) index:
            // SQLite merges the arms in id order and stops at the page's end, where an IN list would sort every
            // record of a common action, or scan the whole account for a rare one.
            records = actions.Distinct().Select(action => records.Where(r => r.ActionType == action)).Aggregate(Queryable.Concat);
        }
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            var who = query.Actor.Trim();
            records = records.Where(r => r.ActorHandle == who || r.ActorId == who);
        }
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var pattern = "%" + query.Text.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            records = records.Where(r => EF.Functions.Like(r.TargetHandle!, pattern, "\\") || EF.Functions.Like(r.ActorHandle!, pattern, "\\")
                || EF.Functions.Like(r.TokenId!, pattern, "\\"));
        }
        if (!string.IsNullOrWhiteSpace(query.TokenId))
        {
            var tokenId = query.TokenId.Trim();
            records = records.Where(r => r.TokenId == tokenId);
        }
        if (query.From is { } fromAt)
        {
            records = records.Where(r => r.CreatedAt >= fromAt);
        }
        if (query.To is { } toAt)
        {
            records = records.Where(r => r.CreatedAt < toAt);
        }
        return records;
    }

    /// <summary>Tells the owners that support staff looked (view, at most hourly) or took a copy (export, always).</summary>
    private Task<Result<Unit>> NoteSupportAsync(Actor actor, EntityRef entityRef, string accountKey, string action, AuditQuery query, CancellationToken cancellationToken) =>
        db.WriteAsync(async context =>
        {
            var loaded = await ServiceAccountAccess.LoadAsync(context, actor, entityRef, accountKey, AccountOperation.Read, cancellationToken);
            if (!loaded.IsOk)
            {
                return loaded.AsFailure();
            }
            var account = loaded.Value!.Account;
            var now = clock.GetUtcNow().UtcDateTime;
            if (action == AuditActions.SupportAuditLogView)
            {
                var since = now - SupportViewInterval;
                var seen = await context.AuditRecords.AnyAsync(r => r.IdentityId == account.Id && r.ActionType == action && r.ActorId == actor.Id && r.CreatedAt > since, cancellationToken);
                if (seen)
                {
                    return Result.Ok(Unit.Value);
                }
            }
            context.Add(account.BillingEntityId, action, actor, now, ServiceAccountService.Subject(account), new { filters = Describe(query) });
            return Result.Ok(Unit.Value);
        }, cancellationToken);

    /// <summary>Writes the api.request record of a request made with a token.</summary>
    public Task<Result<Unit>> RecordApiRequestAsync(Actor serviceAccount, string method, string route, int status, CancellationToken cancellationToken = default) =>
        RecordApiRequestAsync(ApiRequestAudit.For(serviceAccount, method, route), status, cancellationToken);

    /// <summary>Writes <paramref name="request"/>'s record with the status answered, unless a change already saved it.</summary>
    public async Task<Result<Unit>> RecordApiRequestAsync(ApiRequestAudit request, int status, CancellationToken cancellationToken = default)
    {
        if (request.Actor.Type != ActorType.ServiceAccount || request.Actor.Id is null)
        {
            return Result.Invalid("actor", "Only requests made with a token are recorded as api.request.");
        }
        if (request.IsWritten)
        {
            return Result.Ok(Unit.Value);
        }
        // Claimed before the write so that the write doesn't add it a second time as the current request's record.
        request.IsWritten = true;
        var result = await db.WriteAsync(async context =>
            await Db.AddApiRequestRecordAsync(context, request, status, clock.GetUtcNow().UtcDateTime, cancellationToken)
                ? Result.Ok(Unit.Value)
                : Result.NotFound("The service account no longer exists."), cancellationToken);
        request.IsWritten = result.IsOk;
        return result;
    }

    /// <summary>
    /// Walks an entity's chain in sequence order and names the first record that doesn't fit. <see cref="ChainCheck.Full"/>
    /// walks every record; <see cref="ChainCheck.Recent"/> (the console's status line) reuses a full walk younger than
    /// <see cref="FullWalkInterval"/> and walks only what was written after it, so opening a tab over a million records
    /// doesn't read them all each time.
    /// </summary>
    public async Task<Result<ChainVerification>> VerifyChainAsync(Actor actor, EntityRef entityRef, ChainCheck check = ChainCheck.Full, CancellationToken cancellationToken = default)
    {
        var allowed = await db.ReadAsync(async context =>
        {
            var found = await Access.EntityForAsync(context, actor, entityRef, cancellationToken);
            if (!found.IsOk)
            {
                return found.AsFailure();
            }
            var (entity, relation) = found.Value;
            if (relation == Relation.Member || relation == Relation.Owner && actor.Type == ActorType.ServiceAccount)
            {
                return Result.Forbidden($"Only owners of {entity.Handle} and support staff can verify its audit trail.");
            }
            return Result.Ok(entity.Id);
        }, cancellationToken);
        if (!allowed.IsOk)
        {
            return allowed.AsFailure();
        }
        var entityId = allowed.Value!;
        if (check == ChainCheck.Full)
        {
            return await db.ReadAsync(async context => Result.Ok(await WalkAsync(context, entityId, null, cancellationToken)), cancellationToken);
        }
        // One walk per entity at a time: people opening the same log at once wait for it rather than each starting one.
        var gate = walkGates.GetOrAdd(entityId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var start = checkpoints.TryGetValue(entityId, out var checkpoint) && now - checkpoint.FullWalkAt < FullWalkInterval ? checkpoint : null;
            return await db.ReadAsync(async context => Result.Ok(await WalkAsync(context, entityId, start, cancellationToken)), cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>How often <see cref="ChainCheck.Recent"/> walks a whole chain again; between walks it extends the last one.</summary>
    public static readonly TimeSpan FullWalkInterval = TimeSpan.FromMinutes(10);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ChainCheckpoint> checkpoints = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> walkGates = new();

    /// <summary>Where an intact walk ended, and when the whole chain up to some point was last walked from #1.</summary>
    private sealed record ChainCheckpoint(int Checked, long RecordId, string Hash, DateTime FullWalkAt);

    /// <summary>
    /// Walks from <paramref name="start"/> (or from #1) and remembers where an intact walk ended. A checkpoint whose own
    /// record no longer reads as it did is not trusted: the walk starts again from #1.
    /// </summary>
    private async Task<ChainVerification> WalkAsync(AppDbContext context, string entityId, ChainCheckpoint? start, CancellationToken cancellationToken)
    {
        if (start is not null)
        {
            var anchor = await context.AuditRecords.AsNoTracking()
                .FirstOrDefaultAsync(r => r.EntityId == entityId && r.Sequence == start.Checked, cancellationToken);
            if (anchor is null || anchor.Id != start.RecordId || anchor.Hash != start.Hash || anchor.ComputeHash() != anchor.Hash)
            {
                start = null;
            }
        }
        var walkedAt = start?.FullWalkAt ?? clock.GetUtcNow().UtcDateTime;
        var (verification, lastId, lastHash) = await VerifyFromAsync(context, entityId, start?.Checked ?? 0, start?.Hash ?? AuditRecord.GenesisHash, start?.RecordId ?? 0, cancellationToken);
        if (verification.IsIntact)
        {
            checkpoints[entityId] = new ChainCheckpoint(verification.RecordsChecked, lastId, lastHash, walkedAt);
        }
        else
        {
            checkpoints.TryRemove(entityId, out _);
        }
        return verification;
    }

    /// <summary>
    /// Every entity's chain (or one entity's, by handle: org first, then tenant), for operators and support:
    /// the entities in handle order with what their walk found.
    /// </summary>
    public Task<Result<IReadOnlyList<EntityVerification>>> VerifyAllAsync(Actor actor, string? entityHandle = null, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<EntityVerification>>(async context =>
        {
            if (actor.Type is not (ActorType.System or ActorType.Support))
            {
                return Result.Forbidden("Only the system and support staff can verify every audit trail.");
            }
            var entities = await context.Entities.AsNoTracking()
                .Where(e => entityHandle == null || e.Handle == entityHandle)
                .OrderBy(e => e.Handle)
                .ToListAsync(cancellationToken);
            if (entityHandle is not null)
            {
                entities = entities.OrderBy(e => e.Kind == EntityKind.Org ? 0 : 1).Take(1).ToList();
                if (entities.Count == 0)
                {
                    return Result.NotFound($"There is no organization or tenant named '{entityHandle}'.");
                }
            }
            var results = new List<EntityVerification>(entities.Count);
            foreach (var entity in entities)
            {
                results.Add(new EntityVerification(entity.Ref, await VerifyAsync(context, entity.Id, cancellationToken)));
            }
            return Result.Ok<IReadOnlyList<EntityVerification>>(results);
        }, cancellationToken);

    internal static async Task<ChainVerification> VerifyAsync(AppDbContext context, string entityId, CancellationToken cancellationToken) =>
        (await VerifyFromAsync(context, entityId, 0, AuditRecord.GenesisHash, 0, cancellationToken)).Verification;

    /// <summary>Walks the records after #<paramref name="alreadyChecked"/> (whose hash and id are given), then the chain head.</summary>
    private static async Task<(ChainVerification Verification, long LastId, string LastHash)> VerifyFromAsync(
        AppDbContext context, string entityId, int alreadyChecked, string hashSoFar, long idSoFar, CancellationToken cancellationToken)
    {
        var checkedCount = alreadyChecked;
        var previousHash = hashSoFar;
        var previousId = idSoFar;
        long after = alreadyChecked;
        await foreach (var record in context.AuditRecords.AsNoTracking().Where(r => r.EntityId == entityId && r.Sequence > after).OrderBy(r => r.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var expected = checkedCount + 1;
            string? problem =
                record.Sequence != expected ? $"has sequence {record.Sequence} where {expected} was expected: a record before it is missing or out of order."
                : record.PrevHash != previousHash ? "does not follow the record before it: a record was removed, inserted or reordered."
                : record.Hash != record.ComputeHash() ? "was modified after it was written."
                : record.Id <= previousId ? "was written before the record it claims to follow: the records were reordered."
                : null;
            if (problem is not null)
            {
                return (new ChainVerification(checkedCount, new ChainBreak(record.Id, record.Sequence, $"Record {record.Id} (#{record.Sequence}) {problem}")), previousId, previousHash);
            }
            checkedCount++;
            previousHash = record.Hash;
            previousId = record.Id;
        }
        var head = await context.AuditChainHeads.AsNoTracking().FirstOrDefaultAsync(h => h.EntityId == entityId, cancellationToken);
        var (headSequence, headHash) = head is null ? (0L, AuditRecord.GenesisHash) : (head.Sequence, head.Hash);
        if (headSequence != checkedCount || headHash != previousHash)
        {
            return (new ChainVerification(checkedCount, new ChainBreak(previousId, checkedCount,
                $"The chain ends at record #{checkedCount}, but {headSequence} records were written: the latest records were removed or the chain's end was altered.")), previousId, previousHash);
        }
        return (new ChainVerification(checkedCount, null), previousId, previousHash);
    }

    private static readonly System.Linq.Expressions.Expression<Func<AuditRecord, AuditRecordView>> ViewProjection = r => new AuditRecordView(
        r.Id, r.Sequence, r.CreatedAt, r.ActionType, r.ActorType, r.ActorId, r.ActorHandle, r.ActorDisplayName, r.ActorIp, r.ActorUserAgent,
        r.IdentityId, r.IdentityHandle, r.TargetId, r.TargetHandle, r.TokenId, r.Data, r.PrevHash, r.Hash);

    private static object Describe(AuditQuery query) => new
    {
        actions = query.Actions,
        text = query.Text,
        actor = query.Actor,
        from = query.From,
        to = query.To,
        token_id = query.TokenId,
    };

    /// <summary>A keyset position: the records older than <see cref="Id"/>, or (<see cref="Newer"/>) the page just newer than it.</summary>
    private readonly record struct PageCursor(long Id, bool Newer);

    private const string NewerCursorVersion = "v1n:";

    internal static string EncodeCursor(long id, bool newer = false) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes((newer ? NewerCursorVersion : CursorVersion) + id.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static long? DecodeCursor(string cursor) => DecodePageCursor(cursor) is { Newer: false } older ? older.Id : null;

    private static PageCursor? DecodePageCursor(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(padded));
            var newer = text.StartsWith(NewerCursorVersion, StringComparison.Ordinal);
            var prefix = newer ? NewerCursorVersion : CursorVersion;
            return text.StartsWith(prefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
                && id >= (newer ? 0 : 1)
                ? new PageCursor(id, newer)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
