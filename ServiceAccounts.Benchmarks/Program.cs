using System.Globalization;
using ServiceAccounts.Core.Tenancy;

// dotnet run -c Release --project ServiceAccounts.Benchmarks [-- --duration 10 --workers 32 --warmup 15 --rounds 3 --no-wrk --profile]
// dotnet run --project ServiceAccounts.Benchmarks -- --mint-token sandbox terraform-runner
// dotnet run -c Release --project ServiceAccounts.Benchmarks -- audit [--records 1000000 --db FILE --iterations 300 --rebuild --plans]
namespace ServiceAccounts.Benchmarks
{
    /// <summary>The entry point (not named Program: that is the web app's, which BenchApp starts).</summary>
    public static class Entry
    {
        public static async Task<int> Main(string[] args)
        {
            CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

            if (args is ["audit", .. var auditArgs])
            {
                return await AuditBenchmark.RunAsync(auditArgs);
            }
            var options = Options.Parse(args);
            if (options is null)
            {
                Console.Error.WriteLine(Options.Usage);
                return 2;
            }
            if (options.Help)
            {
                Console.WriteLine(Options.Usage);
                return 0;
            }
            if (options.MintToken is { } mint)
            {
                return await TokenMinter.RunAsync(mint.Entity, mint.Account, options);
            }
            return await Benchmark.RunAsync(options);
        }
    }

    public sealed record MintRequest(string Entity, string Account);

    public sealed class Options
    {
        public const string Usage = """
            ServiceAccounts.Benchmarks: GET /api/v0/actor (valid token) against GET /healthz (no token), one server.

              dotnet run -c Release --project ServiceAccounts.Benchmarks [-- options]

              --duration <s>     seconds per timed round and target (default 10)
              --workers <n>      concurrent closed-loop HttpClient workers, one keep-alive connection each (default 32)
              --warmup <s>       warm-up seconds per target before the timed rounds (default 15: the JIT keeps improving the authenticated path for several seconds)
              --rounds <n>       timed rounds; each runs both targets, alternating which goes first (default 3)
              --no-wrk           skip the comparison run with wrk (done when wrk is on PATH)
              --profile          also time the parts of an authenticated request in-process (auth, query, audit, JSON)

            Mint a token for a demo service account in the configured database (the one the console uses):

              dotnet run --project ServiceAccounts.Benchmarks -- --mint-token <entity> <account> [--as <email>] [--db <file>] [--days <n>]

              <entity>           org/<handle>, tenant/<handle>, or a bare handle (org first, then tenant), e.g. sandbox
              <account>          the service account's handle or id, e.g. terraform-runner
              --as <email>       the owner who creates it (default owner@example.com)
              --db <file>        the SQLite file (default: ConnectionStrings:Default of appsettings.json, relative to ServiceAccounts.Web/)
              --days <n>         expiration in days (default 30)
            Prints the secret alone on stdout, the rest on stderr.

            The audit log at a million records (Core on SQLite; see README "Audit log at a million records"):

              dotnet run -c Release --project ServiceAccounts.Benchmarks -- audit [--records <n>] [--db <file>] [--iterations <n>] [--rebuild] [--plans]
            """;

        public int DurationSeconds { get; private set; } = 10;
        public int Workers { get; private set; } = 32;
        public int WarmupSeconds { get; private set; } = 15;
        public int Rounds { get; private set; } = 3;
        public bool Wrk { get; private set; } = true;
        public bool Profile { get; private set; }
        public bool Help { get; private set; }
        public MintRequest? MintToken { get; private set; }
        public string MintAs { get; private set; } = "owner@example.com";
        public string? Database { get; private set; }
        public int Days { get; private set; } = 30;

        public static Options? Parse(string[] args)
        {
            var options = new Options();
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                int Positive() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{args[i - 1]} needs a positive whole number.");
                try
                {
                    switch (args[i])
                    {
                        case "--duration": options.DurationSeconds = Positive(); break;
                        case "--workers": options.Workers = Positive(); break;
                        case "--warmup": options.WarmupSeconds = Positive(); break;
                        case "--rounds": options.Rounds = Positive(); break;
                        case "--days": options.Days = Positive(); break;
                        case "--no-wrk": options.Wrk = false; break;
                        case "--profile": options.Profile = true; break;
                        case "--as": options.MintAs = Next(); break;
                        case "--db": options.Database = Next(); break;
                        case "--mint-token": options.MintToken = new MintRequest(Next(), Next()); break;
                        case "-h" or "--help": options.Help = true; break;
                        default: throw new ArgumentException($"Unknown option {args[i]}.");
                    }
                }
                catch (ArgumentException exception)
                {
                    Console.Error.WriteLine(exception.Message);
                    return null;
                }
            }
            return options;
        }
    }

    public static class Benchmark
    {
        private const double Target = 0.50;

        public static async Task<int> RunAsync(Options options)
        {
            Console.WriteLine("ServiceAccounts API benchmark: GET /api/v0/actor (valid token) vs GET /healthz (no token)");
            Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            Console.WriteLine($"NOTE: the load generator runs in the same process as the server and shares these {Environment.ProcessorCount} cores with it;");
            Console.WriteLine("      the absolute figures are a floor, the ratio is what the target is about.");

            await using var app = new BenchApp();
            app.Start();
            Console.WriteLine($"server: the real app (Program) on Kestrel at {app.Address}, environment {app.EnvironmentName}, logging at Warning, Server GC {System.Runtime.GCSettings.IsServerGC}");
            Console.WriteLine($"        fresh SQLite file {app.DatabasePath} with the demo data");

            var created = await app.MintTokenAsync(EntityRef.Org("sandbox"), "ci-deployer", "bench");
            Console.WriteLine($"token:  minted through Core's TokenService as owner@example.com for sandbox/ci-deployer (token id {created.Token.Id})");
            var authenticated = new Target("GET /api/v0/actor (Bearer token)", "/api/v0/actor", created.Secret);
            var unauthenticated = new Target("GET /healthz (no token)", "/healthz", null);

            var recordsBefore = await app.CountApiRequestRecordsAsync();
            using var load = new LoadGenerator(app.Address, options.Workers);
            Console.WriteLine($"load:   {options.Workers} closed-loop workers (HttpClient + SocketsHttpHandler, keep-alive, one connection each);");
            Console.WriteLine($"        warm-up {options.WarmupSeconds} s per target, then {options.Rounds} rounds x {options.DurationSeconds} s per target, alternating the order");
            Console.WriteLine();

            var warmups = new List<Sample>();
            foreach (var target in new[] { unauthenticated, authenticated })
            {
                var warm = await load.RunAsync(target, TimeSpan.FromSeconds(options.WarmupSeconds));
                warmups.Add(warm);
                Console.WriteLine($"warm-up  {target.Name,-34} {warm.RequestsPerSecond,9:F0} req/s");
            }
            var authSamples = new List<Sample>();
            var unauthSamples = new List<Sample>();
            for (var round = 1; round <= options.Rounds; round++)
            {
                var order = round % 2 == 1 ? new[] { authenticated, unauthenticated } : [unauthenticated, authenticated];
                foreach (var target in order)
                {
                    GC.Collect();
                    var sample = await load.RunAsync(target, TimeSpan.FromSeconds(options.DurationSeconds));
                    (target == authenticated ? authSamples : unauthSamples).Add(sample);
                    Console.WriteLine($"round {round}  {target.Name,-34} {sample.RequestsPerSecond,9:F0} req/s  p50 {sample.Percentile(50),6:F2} ms  p99 {sample.Percentile(99),6:F2} ms  non-200 {sample.Non200 + sample.Errors}");
                }
            }

            var auth = Sample.Combine(authSamples);
            var unauth = Sample.Combine(unauthSamples);
            var ratio = auth.RequestsPerSecond / unauth.RequestsPerSecond;
            Console.WriteLine();
            Console.WriteLine($"RESULT ({options.Rounds} x {options.DurationSeconds} s per target, {options.Workers} workers, load generator on the same {Environment.ProcessorCount} cores)");
            Console.WriteLine($"  {"target",-34} {"req/s",9} {"p50 ms",8} {"p99 ms",8} {"requests",10}");
            foreach (var (target, s) in new[] { (authenticated, auth), (unauthenticated, unauth) })
            {
                Console.WriteLine($"  {target.Name,-34} {s.RequestsPerSecond,9:F0} {s.Percentile(50),8:F2} {s.Percentile(99),8:F2} {s.Requests,10}");
            }
            Console.WriteLine($"  ratio authenticated / unauthenticated: {ratio:P1}  (target >= {Target:P0}): {(ratio >= Target ? "MET" : "MISSED")}");

            var all = Sample.Combine([.. warmups, auth, unauth]);
            var statuses = string.Join(", ", all.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
            var allOk = all.Non200 == 0 && all.Errors == 0;
            Console.WriteLine($"  responses: {statuses}; transport errors {all.Errors} -> {(allOk ? "all 200" : "NOT all 200")}");

            var authRequests = warmups[1].Requests + auth.Requests;
            var recordsAfter = await app.CountApiRequestRecordsAsync();
            var written = recordsAfter - recordsBefore;
            var auditOk = written == authRequests;
            Console.WriteLine($"  api.request records written (after ApiRequestRecorder.FlushAsync): {written} for {authRequests} authenticated requests (warm-up included) -> {(auditOk ? "equal" : $"DIFFERENCE {written - authRequests}")}");

            var exit = allOk && auditOk ? 0 : 1;
            if (options.Wrk)
            {
                await WrkComparison.RunAsync(app, authenticated, unauthenticated, options);
            }
            if (options.Profile)
            {
                await RequestProfile.RunAsync(app, load, created.Secret, options);
            }
            return exit;
        }
    }
}
