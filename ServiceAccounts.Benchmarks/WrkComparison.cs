using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ServiceAccounts.Benchmarks;

/// <summary>The same comparison with wrk (a C load generator, lighter than HttpClient), when it is installed.</summary>
public static partial class WrkComparison
{
    public static async Task RunAsync(BenchApp app, Target authenticated, Target unauthenticated, Options options)
    {
        var wrk = FindOnPath("wrk");
        Console.WriteLine();
        if (wrk is null)
        {
            Console.WriteLine("wrk: not installed (apt-get install -y wrk), comparison skipped");
            return;
        }
        Console.WriteLine($"wrk comparison: wrk -t2 -c{options.Workers} -d{options.DurationSeconds}s --latency, same server (wrk also shares the cores)");
        var results = new Dictionary<Target, WrkResult>();
        var before = await app.CountApiRequestRecordsAsync();
        foreach (var target in new[] { unauthenticated, authenticated })
        {
            var result = await RunWrkAsync(wrk, app.Address, target, options);
            if (result is null)
            {
                return;
            }
            results[target] = result;
            Console.WriteLine($"  {target.Name,-34} {result.RequestsPerSecond,9:F0} req/s  p50 {result.P50Ms,6:F2} ms  p99 {result.P99Ms,6:F2} ms  requests {result.Requests}  non-2xx {result.Non2xx}  socket errors {result.SocketErrors}");
        }
        var ratio = results[authenticated].RequestsPerSecond / results[unauthenticated].RequestsPerSecond;
        Console.WriteLine($"  wrk ratio authenticated / unauthenticated: {ratio:P1}");
        var written = await app.CountApiRequestRecordsAsync() - before;
        Console.WriteLine($"  api.request records written during the wrk run: {written} for {results[authenticated].Requests} completed authenticated requests (wrk does not count the up to {options.Workers} in flight when it stops)");
    }

    private static async Task<WrkResult?> RunWrkAsync(string wrk, Uri address, Target target, Options options)
    {
        var start = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-t2", $"-c{options.Workers}", $"-d{options.DurationSeconds}s", "--latency" })
        {
            start.ArgumentList.Add(arg);
        }
        if (target.Token is not null)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add($"Authorization: Bearer {target.Token}");
        }
        start.ArgumentList.Add(new Uri(address, target.Path).ToString());
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var rps = RequestsPerSecond().Match(output);
        var requests = Requests().Match(output);
        if (process.ExitCode != 0 || !rps.Success || !requests.Success)
        {
            Console.WriteLine($"  wrk failed (exit {process.ExitCode}): {error.Trim()} {output.Trim()}");
            return null;
        }
        var non2xx = Non2xx().Match(output);
        var socket = SocketErrors().Match(output);
        return new WrkResult(
            double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture),
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            Latency(output, "50%"),
            Latency(output, "99%"),
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            socket.Success ? socket.Value.Trim() : "none");
    }

    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            return double.NaN;
        }
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors:[^\n]*")]
    private static partial Regex SocketErrors();

    private sealed record WrkResult(double RequestsPerSecond, long Requests, double P50Ms, double P99Ms, long Non2xx, string SocketErrors);
}
