using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Web.Api;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ServiceAccounts.Benchmarks;

/// <summary>
/// <c>--profile</c>: what the parts of an authenticated <c>GET /api/v0/actor</c> cost, each timed on its own in-process
/// against the same server and database, with the same concurrency as the HTTP load: throughput and CPU time per
/// operation (on 2 cores, CPU time per request is what caps requests per second).
/// </summary>
public static class RequestProfile
{
    public static async Task RunAsync(BenchApp app, LoadGenerator load, string secret, Options options)
    {
        var duration = TimeSpan.FromSeconds(Math.Max(2, options.DurationSeconds / 2));
        var services = app.Services;
        var authenticator = services.GetRequiredService<TokenAuthenticator>();
        var accounts = services.GetRequiredService<ServiceAccountService>();
        var recorder = services.GetRequiredService<ApiRequestRecorder>();
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var actor = (await authenticator.AuthenticateAsync(secret, "127.0.0.1", "bench")).Actor
            ?? throw new InvalidOperationException("The bench token does not authenticate.");
        var self = (await accounts.GetSelfAsync(actor)).Value!;

        Console.WriteLine();
        Console.WriteLine($"PROFILE: each part alone, {options.Workers} concurrent callers, {duration.TotalSeconds:F0} s each; CPU = process CPU time per operation (both cores, load generator included for HTTP rows)");
        Console.WriteLine($"  {"part",-66} {"ops/s",9} {"CPU us/op",10}");

        await HttpRowAsync(load, new Target("HTTP GET /healthz (no token; baseline)", "/healthz", null), duration);
        await HttpRowAsync(load, new Target("HTTP GET /api/v0/actor without a token (401: pipeline, no DB)", "/api/v0/actor", null), duration);
        await HttpRowAsync(load, new Target("HTTP GET /healthz/ready (one EF query, no auth, no audit)", "/healthz/ready", null), duration);
        await HttpRowAsync(load, new Target("HTTP GET /api/v0/actor with the token (everything)", "/api/v0/actor", secret), duration);

        await Row("EF: new context + one trivial query (Tenants.Any)", options.Workers, duration, async () =>
        {
            await using var db = await factory.CreateDbContextAsync();
            await db.Tenants.AsNoTracking().AnyAsync();
        });
        await Row("TokenAuthenticator.AuthenticateAsync (parse, 1 query, SHA-256)", options.Workers, duration,
            async () => await authenticator.AuthenticateAsync(secret, "127.0.0.1", "bench"));
        await Row("ServiceAccountService.GetSelfAsync (1 query)", options.Workers, duration,
            async () => await accounts.GetSelfAsync(actor));
        await Row("JSON: ServiceAccountDto with the API's options", 1, duration, () =>
        {
            JsonSerializer.SerializeToUtf8Bytes(ServiceAccountDto.From(self), json);
            return Task.CompletedTask;
        });
        await Row("authenticate + GetSelf + JSON (the request without HTTP and audit)", options.Workers, duration, async () =>
        {
            var a = (await authenticator.AuthenticateAsync(secret, "127.0.0.1", "bench")).Actor!;
            var view = (await accounts.GetSelfAsync(a)).Value!;
            JsonSerializer.SerializeToUtf8Bytes(ServiceAccountDto.From(view), json);
        });

        // The recorder: enqueue as fast as possible, then wait until the background writer has saved them all.
        await recorder.FlushAsync();
        var count = 20_000;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            recorder.Enqueue(ApiRequestAudit.For(actor, "GET", "/api/v0/actor"), 200);
        }
        await recorder.FlushAsync();
        watch.Stop();
        var cpuPerOp = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count;
        Console.WriteLine($"  {"ApiRequestRecorder: enqueue " + count + " api.request records + FlushAsync (batches of 256)",-66} {count / watch.Elapsed.TotalSeconds,9:F0} {cpuPerOp,10:F0}");
    }

    private static async Task HttpRowAsync(LoadGenerator load, Target target, TimeSpan duration)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sample = await load.RunAsync(target, duration);
        var cpuPerOp = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / sample.Requests;
        var statuses = string.Join(",", sample.Statuses.Keys.Order());
        Console.WriteLine($"  {target.Name,-66} {sample.RequestsPerSecond,9:F0} {cpuPerOp,10:F0}  (status {statuses}, p50 {sample.Percentile(50):F2} ms)");
    }

    private static async Task Row(string name, int callers, TimeSpan duration, Func<Task> operation)
    {
        await operation();
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            long n = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                await operation();
                n++;
            }
            return n;
        })));
        watch.Stop();
        var total = counts.Sum();
        var cpuPerOp = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / total;
        Console.WriteLine($"  {name,-66} {total / watch.Elapsed.TotalSeconds,9:F0} {cpuPerOp,10:F0}");
    }
}
