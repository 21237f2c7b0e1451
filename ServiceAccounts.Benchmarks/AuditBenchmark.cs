using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServiceAccounts.Core;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Seed;
using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Benchmarks;

/// <summary>
/// <c>audit</c>: one service account with a million audit records (demo data plus the generator), on a SQLite file
/// under the temp folder, reused while it holds enough records. Times Core's AuditLog as the console and the API call
/// it (QueryAsync as the owner: first page, deep pages, each filter; ExportAsync of everything, with its memory;
/// VerifyChainAsync), through the real services of AddServiceAccountsCore. Not a test: it prints figures.
/// </summary>
public static class AuditBenchmark
{
    private const string Usage = """
        dotnet run -c Release --project ServiceAccounts.Benchmarks -- audit [options]

          --records <n>      audit records of sandbox/ci-deployer (default 1000000)
          --db <file>        the SQLite file (default <temp>/serviceaccounts-audit-<n>.db); reused when it holds enough records
          --iterations <n>   timed calls per query after the warm-up (default 300)
          --rebuild          start from a fresh database even if the file is there
          --plans            print SQLite's EXPLAIN QUERY PLAN for each query's SQL
        """;

    private static readonly EntityRef Sandbox = EntityRef.Org("sandbox");
    private const string Account = "ci-deployer";
    private const double TargetMs = 5.0;

    public static async Task<int> RunAsync(string[] args)
    {
        var records = 1_000_000;
        var iterations = 300;
        string? file = null;
        var rebuild = false;
        var plans = false;
        for (var i = 0; i < args.Length; i++)
        {
            int Positive() => i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : -1;
            switch (args[i])
            {
                case "--records": records = Positive(); break;
                case "--iterations": iterations = Positive(); break;
                case "--db" when i + 1 < args.Length: file = args[++i]; break;
                case "--rebuild": rebuild = true; break;
                case "--plans": plans = true; break;
                case "-h" or "--help": Console.WriteLine(Usage); return 0;
                default: records = -1; break;
            }
            if (records < 0 || iterations < 0)
            {
                Console.Error.WriteLine(Usage);
                return 2;
            }
        }
        file = Path.GetFullPath(file ?? Path.Combine(Path.GetTempPath(), $"serviceaccounts-audit-{records}.db"));

        Console.WriteLine($"ServiceAccounts audit log benchmark: {records:N0} records of {Sandbox.Handle}/{Account}, Core on SQLite");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, SQLite {SqliteVersion()}, Server GC {System.Runtime.GCSettings.IsServerGC}");
        if (rebuild)
        {
            DeleteDatabase(file);
        }
        var capture = new CommandCapture();
        await using var provider = Services(file, capture);
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        }
        var owner = await BenchApp.UserActorAsync(provider, "owner@example.com");
        var audit = provider.GetRequiredService<AuditLog>();
        var (accountId, have) = await CountAsync(provider);
        if (have < records)
        {
            var generator = ActivatorUtilities.CreateInstance<AuditHistoryGenerator>(provider);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var generated = await generator.GenerateAsync(Actor.System, Sandbox, Account, new AuditHistoryOptions(records - have));
            if (!generated.IsOk)
            {
                Console.Error.WriteLine($"generation failed: {generated}");
                return 1;
            }
            Console.WriteLine($"database: {file}: generated {generated.Value!.Appended:N0} records in {watch.Elapsed.TotalSeconds:F1} s ({generated.Value.Appended / watch.Elapsed.TotalSeconds:N0} records/s; CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s)");
            (_, have) = await CountAsync(provider);
        }
        else
        {
            Console.WriteLine($"database: {file}: reused ({have:N0} records already there)");
        }
        Console.WriteLine($"          {new FileInfo(file).Length / (1024.0 * 1024):N0} MiB; {have:N0} records whose identity is {Account}");

        // The cursors of deep pages: the id of the 10,000th (500,000th) newest record, encoded as QueryAsync encodes it.
        var cursor10k = AuditLog.EncodeCursor(await NthNewestIdAsync(provider, accountId, 10_000));
        var cursorHalf = AuditLog.EncodeCursor(await NthNewestIdAsync(provider, accountId, have / 2));
        var walked = await WalkAsync(audit, owner, 400);
        Console.WriteLine($"check:    walking 400 pages of 25 took {walked.Elapsed.TotalMilliseconds:F0} ms and ends at the same cursor: {(walked.Cursor == cursor10k ? "yes" : "NO")}");

        var (secondToken, middle) = await FactsAsync(provider, accountId);
        var cases = new List<(string Name, AuditQuery Query)>
        {
            ("first page (limit 25)", new AuditQuery()),
            ("page 10,000 records deep", new AuditQuery(Cursor: cursor10k)),
            ($"page {have / 2:N0} records deep", new AuditQuery(Cursor: cursorHalf)),
            ("first page, limit 100", new AuditQuery(Limit: 100)),
            ("action api.request (common)", new AuditQuery([AuditActions.ApiRequest])),
            ("action token.delete (rare)", new AuditQuery([AuditActions.TokenDelete])),
            ("action token.delete, 10,000 deep", new AuditQuery([AuditActions.TokenDelete], Cursor: cursor10k)),
            ("actions token.create + token.delete", new AuditQuery([AuditActions.TokenCreate, AuditActions.TokenDelete])),
            ("actions api.request + token.delete", new AuditQuery([AuditActions.ApiRequest, AuditActions.TokenDelete])),
            ("actions 3 token.* (de/activate, update)", new AuditQuery([AuditActions.TokenDeactivate, AuditActions.TokenActivate, AuditActions.TokenUpdate])),
            ($"actor {Account} (the account itself)", new AuditQuery(Actor: Account)),
            ($"actor {owner.Handle} (owner, rare)", new AuditQuery(Actor: owner.Handle)),
            ("actor nobody (no match)", new AuditQuery(Actor: "nobody")),
            ("token id (second token)", new AuditQuery(TokenId: secondToken)),
            ("from/to: one day in the middle", new AuditQuery(From: middle, To: middle.AddDays(1))),
            ("from/to: 30 days in the middle", new AuditQuery(From: middle, To: middle.AddDays(30))),
            ("from only (middle onwards)", new AuditQuery(From: middle)),
            ("to only (up to the middle)", new AuditQuery(To: middle)),
            ("from/to + action token.delete", new AuditQuery([AuditActions.TokenDelete], From: middle, To: middle.AddDays(30))),
            ("text 'deployer' (every record)", new AuditQuery(Text: "deployer")),
            ($"text '{secondToken[^6..]}' (second token id)", new AuditQuery(Text: secondToken[^6..])),
            ("text 'zzqx' (no match: full scan)", new AuditQuery(Text: "zzqx")),
        };

        Console.WriteLine();
        Console.WriteLine($"AuditLog.QueryAsync as the owner ({owner.Handle}), warm-up 20 calls, then {iterations} timed calls each (target <= {TargetMs} ms for the first two)");
        Console.WriteLine($"  {"query",-44} {"rows",5} {"median",8} {"p95",8} {"p99",8} {"max",8}");
        var results = new List<(string Name, Stats Stats, int Rows)>();
        foreach (var (name, query) in cases)
        {
            var rows = 0;
            var slow = false;
            async Task Call()
            {
                var page = await audit.QueryAsync(owner, Sandbox, Account, query);
                rows = page.IsOk ? page.Value!.Items.Count : throw new InvalidOperationException($"{name}: {page}");
            }
            // A query that takes seconds at 1M (a full scan) gets fewer calls, so the run still ends.
            var probe = Stopwatch.StartNew();
            await Call();
            slow = probe.Elapsed > TimeSpan.FromMilliseconds(100);
            var stats = await TimeAsync(Call, slow ? 2 : 20, slow ? Math.Min(iterations, 10) : iterations);
            results.Add((name, stats, rows));
            Console.WriteLine($"  {name,-44} {rows,5} {stats.Median,8:F3} {stats.P95,8:F3} {stats.P99,8:F3} {stats.Max,8:F3}  ms{(slow ? $"  ({stats.Count} calls)" : "")}");
            if (plans)
            {
                await PrintPlanAsync(file, capture);
            }
        }
        var first = results[0].Stats;
        var deep = results[1].Stats;
        Console.WriteLine($"  target: first page median {first.Median:F3} ms / p99 {first.P99:F3} ms, 10,000 deep median {deep.Median:F3} ms / p99 {deep.P99:F3} ms -> {(first.P99 <= TargetMs && deep.P99 <= TargetMs ? "MET (p99 <= 5 ms)" : first.Median <= TargetMs && deep.Median <= TargetMs ? "met at the median, not at p99" : "MISSED")}");

        Console.WriteLine();
        await ExportAsync(audit, owner, have);
        Console.WriteLine();
        var verify = Stopwatch.StartNew();
        var verification = await audit.VerifyChainAsync(owner, Sandbox);
        verify.Stop();
        Console.WriteLine($"AuditLog.VerifyChainAsync(org/sandbox): {(verification.IsOk ? verification.Value!.IsIntact ? "intact" : "BROKEN: " + verification.Value.FirstBreak!.Problem : verification.ToString())}, "
            + $"{verification.Value?.RecordsChecked:N0} records in {verify.Elapsed.TotalSeconds:F2} s ({verification.Value?.RecordsChecked / verify.Elapsed.TotalSeconds:N0} records/s)");
        // The console's status line: the walk above left a checkpoint, so Recent reads only what came after it.
        var recent = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var step = Stopwatch.StartNew();
            var check = await audit.VerifyChainAsync(owner, Sandbox, ChainCheck.Recent);
            step.Stop();
            if (check.Value?.IsIntact != true)
            {
                Console.WriteLine("AuditLog.VerifyChainAsync(Recent): BROKEN");
                return 1;
            }
            recent.Add(step.Elapsed.TotalMilliseconds);
        }
        recent.Sort();
        Console.WriteLine($"AuditLog.VerifyChainAsync(org/sandbox, Recent) after that walk: median {recent[recent.Count / 2]:F2} ms, max {recent[^1]:F2} ms (20 calls)");
        return verification.Value?.IsIntact == true ? 0 : 1;
    }

    /// <summary>Streams every record through ExportAsync, watching the managed heap and the working set as it goes.</summary>
    private static async Task ExportAsync(AuditLog audit, Actor owner, int expected)
    {
        // Warm the path once (JIT, statement cache) on a few batches.
        var warm = 0;
        await foreach (var _ in (await audit.ExportAsync(owner, Sandbox, Account, new AuditQuery())).Value!)
        {
            if (++warm == 5_000)
            {
                break;
            }
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var liveBefore = GC.GetTotalMemory(forceFullCollection: true);
        process.Refresh();
        var workingSetBefore = process.WorkingSet64;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long maxHeap = 0, maxWorkingSet = workingSetBefore, liveMidway = 0, count = 0, ids = 0;
        var watch = Stopwatch.StartNew();
        await foreach (var record in (await audit.ExportAsync(owner, Sandbox, Account, new AuditQuery())).Value!)
        {
            count++;
            ids += record.Id;
            if (count % 20_000 == 0)
            {
                maxHeap = Math.Max(maxHeap, GC.GetTotalMemory(forceFullCollection: false));
                process.Refresh();
                maxWorkingSet = Math.Max(maxWorkingSet, process.WorkingSet64);
            }
            if (count == expected / 2)
            {
                // What the stream really holds halfway: live objects only, after a full collection (not counted in the time).
                watch.Stop();
                liveMidway = GC.GetTotalMemory(forceFullCollection: true);
                watch.Start();
            }
        }
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        process.Refresh();

        // For scale: what holding the records would cost, from 10,000 of them kept in a list.
        var kept = new List<AuditRecordView>(10_000);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await foreach (var record in (await audit.ExportAsync(owner, Sandbox, Account, new AuditQuery())).Value!)
        {
            kept.Add(record);
            if (kept.Count == 10_000)
            {
                break;
            }
        }
        var perRecord = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)kept.Count;
        GC.KeepAlive(kept);

        static string Mib(double bytes) => $"{bytes / (1024 * 1024):N1} MiB";
        Console.WriteLine($"AuditLog.ExportAsync, every record as the owner: {count:N0} records in {watch.Elapsed.TotalSeconds:F2} s = {count / watch.Elapsed.TotalSeconds:N0} records/s (checksum {ids})");
        Console.WriteLine($"  live managed heap: {Mib(liveBefore)} before, {Mib(liveMidway)} halfway through (after a full GC) -> growth {Mib(liveMidway - liveBefore)}");
        Console.WriteLine($"  managed heap incl. garbage, sampled every 20,000 records: max {Mib(maxHeap)}; allocated in all {Mib(allocated)} ({allocated / (double)Math.Max(count, 1):N0} B/record, collected as it goes)");
        Console.WriteLine($"  working set: {Mib(workingSetBefore)} before, max {Mib(maxWorkingSet)} sampled, {Mib(process.WorkingSet64)} after; process peak {Mib(process.PeakWorkingSet64)}");
        Console.WriteLine($"  for scale: a record view held in memory takes ~{perRecord:N0} B, so holding all {count:N0} would take ~{Mib(perRecord * count)}");
    }

    private static async Task<Stats> TimeAsync(Func<Task> call, int warmup, int iterations)
    {
        for (var i = 0; i < warmup; i++)
        {
            await call();
        }
        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(samples);
        double At(double p) => samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(p / 100 * samples.Length) - 1)];
        return new Stats(samples.Length, At(50), At(95), At(99), samples[^1]);
    }

    private sealed record Stats(int Count, double Median, double P95, double P99, double Max);

    private static async Task<(TimeSpan Elapsed, string? Cursor)> WalkAsync(AuditLog audit, Actor owner, int pages)
    {
        var watch = Stopwatch.StartNew();
        string? cursor = null;
        for (var i = 0; i < pages; i++)
        {
            var page = await audit.QueryAsync(owner, Sandbox, Account, new AuditQuery(Cursor: cursor));
            cursor = page.Value!.NextCursor;
        }
        return (watch.Elapsed, cursor);
    }

    private static ServiceProvider Services(string file, CommandCapture capture)
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = $"Data Source={file}",
            ["Seed:Demo"] = "true",
        }).Build();
        return new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddServiceAccountsCore(settings, options => options.AddInterceptors(capture))
            .BuildServiceProvider();
    }

    private static async Task<(string AccountId, int Records)> CountAsync(IServiceProvider provider)
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var accountId = await db.ServiceAccounts.Where(s => s.Handle == Account).Select(s => s.Id).SingleAsync();
        return (accountId, await db.AuditRecords.CountAsync(r => r.IdentityId == accountId));
    }

    private static async Task<long> NthNewestIdAsync(IServiceProvider provider, string accountId, int n)
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.AuditRecords.Where(r => r.IdentityId == accountId).OrderByDescending(r => r.Id).Skip(n - 1).Select(r => r.Id).FirstAsync();
    }

    /// <summary>The account's second token (the less used one) and the middle of its history.</summary>
    private static async Task<(string SecondToken, DateTime Middle)> FactsAsync(IServiceProvider provider, string accountId)
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var tokens = await db.AuditRecords.Where(r => r.IdentityId == accountId && r.ActionType == AuditActions.ApiRequest)
            .OrderByDescending(r => r.Id).Take(1_000).GroupBy(r => r.TokenId).Select(g => new { Token = g.Key, Count = g.Count() }).ToListAsync();
        var second = tokens.OrderBy(t => t.Count).First().Token!;
        var oldest = await db.AuditRecords.Where(r => r.IdentityId == accountId).MinAsync(r => r.CreatedAt);
        var newest = await db.AuditRecords.Where(r => r.IdentityId == accountId).MaxAsync(r => r.CreatedAt);
        return (second, (oldest + (newest - oldest) / 2).Date);
    }

    private static async Task PrintPlanAsync(string file, CommandCapture capture)
    {
        if (capture.Last is not { } command)
        {
            return;
        }
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.Sql;
        foreach (var (name, value) in command.Parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Console.WriteLine($"      plan: {reader.GetString(3)}");
        }
    }

    private static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        return connection.ServerVersion;
    }

    private static void DeleteDatabase(string file)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(file + suffix);
        }
    }

    /// <summary>Keeps the last page query's SQL and parameters (the one ordered by id), for EXPLAIN QUERY PLAN.</summary>
    private sealed class CommandCapture : DbCommandInterceptor
    {
        public (string Sql, List<(string Name, object? Value)> Parameters)? Last { get; private set; }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("FROM \"AuditRecords\"", StringComparison.Ordinal) && command.CommandText.Contains("ORDER BY \"a\".\"Id\" DESC", StringComparison.Ordinal))
            {
                Last = (command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList());
            }
            return ValueTask.FromResult(result);
        }
    }
}
