using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServiceAccounts.Core.Data;

namespace ServiceAccounts.Core.Audit;

/// <summary>
/// Writes the api.request records of requests that changed nothing (reads, refusals) in batches, off the
/// request path: a read then costs no write transaction of its own. Records of requests that change
/// something never come here; they are saved in the change's own transaction (see <see cref="Db"/>).
/// </summary>
public sealed class ApiRequestRecorder(IDbContextFactory<AppDbContext> factory, TimeProvider clock, ILogger<ApiRequestRecorder> logger) : BackgroundService
{
    private const int BatchSize = 512;
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(20);
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>();
    private long enqueued;
    private long written;

    /// <summary>Queues the record of <paramref name="request"/> with the status it was answered, unless a change saved it.</summary>
    public void Enqueue(ApiRequestAudit request, int status)
    {
        if (request.IsWritten || request.Actor.Id is null)
        {
            return;
        }
        request.IsWritten = true;
        Interlocked.Increment(ref enqueued);
        queue.Writer.TryWrite(new Pending(request, status, clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>Waits until everything queued so far is saved (tests, shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref enqueued);
        while (Interlocked.Read(ref written) < target)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(BatchSize);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                if (queue.Reader.Count < BatchSize)
                {
                    // Under load, a moment's wait fills the batch: fewer, larger transactions.
                    await Task.Delay(BatchWindow, stoppingToken);
                }
                while (batch.Count < BatchSize && queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }
                await WriteAsync(batch, CancellationToken.None);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: save what is still queued.
            while (queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            await WriteAsync(batch, CancellationToken.None);
        }
    }

    private async Task WriteAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var records = new List<AuditRecord>(batch.Count);
            foreach (var pending in batch)
            {
                if (await ApiRequestRecords.CreateAsync(db, pending.Request, pending.Status, pending.At, cancellationToken) is { } record)
                {
                    records.Add(record);
                }
            }
            await AuditBatchWriter.AppendAsync(db, records, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The requests were answered; their records can't be taken back. Say so loudly and keep going.
            logger.LogError(exception, "Could not save {Count} api.request audit records.", batch.Count);
        }
        finally
        {
            Interlocked.Add(ref written, batch.Count);
        }
    }

    private sealed record Pending(ApiRequestAudit Request, int Status, DateTime At);
}
