using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Core.Data;

/// <summary>
/// One short-lived context per operation. A write runs in one transaction: the change and its audit
/// record are saved together, and a failed result saves nothing.
/// </summary>
public sealed class Db(IDbContextFactory<AppDbContext> factory, TimeProvider clock)
{
    public async Task<Result<T>> ReadAsync<T>(Func<AppDbContext, Task<Result<T>>> work, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        return await work(db);
    }

    public async Task<Result<T>> WriteAsync<T>(Func<AppDbContext, Task<Result<T>>> work, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        // On SQLite this is BEGIN IMMEDIATE: writers queue here (busy timeout) instead of failing later,
        // so a rule read inside the transaction (free token slots, chain head) still holds at commit.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var result = await work(db);
            if (!result.IsOk)
            {
                await transaction.RollbackAsync(cancellationToken);
                return result;
            }
            var apiRequest = await AddApiRequestAsync(db, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            AuthenticationState.Changed();
            if (apiRequest is not null)
            {
                apiRequest.IsWritten = true;
            }
            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result.Conflict(ConflictReason.StaleVersion, "This was changed by someone else in the meantime. Reload and try again.");
        }
        catch (DbUpdateException exception) when (IsUniqueViolation(exception))
        {
            return Result.Conflict(ConflictReason.AlreadyExists, "Someone else made the same change at the same time. Reload and try again.");
        }
    }

    /// <summary>The api.request record of the request this change is made in, added to the change's transaction.</summary>
    private async Task<ApiRequestAudit?> AddApiRequestAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        if (ApiRequestAudit.Current is not { IsWritten: false } request || request.Actor.Id is null)
        {
            return null;
        }
        var written = await AddApiRequestRecordAsync(db, request, request.SuccessStatus, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return written ? request : null;
    }

    internal static async Task<bool> AddApiRequestRecordAsync(AppDbContext db, ApiRequestAudit request, int status, DateTime at, CancellationToken cancellationToken)
    {
        if (await ApiRequestRecords.CreateAsync(db, request, status, at, cancellationToken) is not { } record)
        {
            return false;
        }
        db.AuditRecords.Add(record);
        return true;
    }

    internal static bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 }
        || exception.InnerException?.GetType().Name == "PostgresException" && exception.InnerException.Message.StartsWith("23505", StringComparison.Ordinal);
}
