using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace ServiceAccounts.Benchmarks;

/// <summary>One endpoint to load: a path, and the bearer token to send (none when null).</summary>
public sealed record Target(string Name, string Path, string? Token);

/// <summary>What one timed run of one target measured.</summary>
public sealed class Sample
{
    public long Requests { get; set; }
    public long Non200 { get; set; }
    public long Errors { get; set; }
    public TimeSpan Elapsed { get; set; }
    public List<double> LatenciesMs { get; } = [];
    public Dictionary<int, long> Statuses { get; } = [];

    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public static Sample Combine(IEnumerable<Sample> samples)
    {
        var total = new Sample();
        foreach (var s in samples)
        {
            total.Requests += s.Requests;
            total.Non200 += s.Non200;
            total.Errors += s.Errors;
            total.Elapsed += s.Elapsed;
            total.LatenciesMs.AddRange(s.LatenciesMs);
            foreach (var (status, count) in s.Statuses)
            {
                total.Statuses[status] = total.Statuses.GetValueOrDefault(status) + count;
            }
        }
        return total;
    }

    public double Percentile(double p)
    {
        if (LatenciesMs.Count == 0)
        {
            return double.NaN;
        }
        var sorted = LatenciesMs.ToArray();
        Array.Sort(sorted);
        var index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}

/// <summary>
/// A closed loop: <c>workers</c> HttpClients, each with its own SocketsHttpHandler and one keep-alive connection,
/// each sending its next request as soon as the previous response has been read to the end.
/// </summary>
public sealed class LoadGenerator : IDisposable
{
    private readonly Uri baseAddress;
    private readonly HttpClient[] clients;

    public LoadGenerator(Uri baseAddress, int workers)
    {
        this.baseAddress = baseAddress;
        clients = Enumerable.Range(0, workers).Select(_ => new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        }).ToArray();
    }

    public int Workers => clients.Length;

    public async Task<Sample> RunAsync(Target target, TimeSpan duration)
    {
        var samples = clients.Select(_ => new Sample()).ToArray();
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(clients.Select((client, i) => Task.Run(() => WorkAsync(client, target, samples[i], stopAt))));
        var total = Sample.Combine(samples);
        total.Elapsed = Stopwatch.GetElapsedTime(started);
        return total;
    }

    private static async Task WorkAsync(HttpClient client, Target target, Sample sample, long stopAt)
    {
        var buffer = new byte[16 * 1024];
        var uri = new Uri(target.Path, UriKind.Relative);
        var authorization = target.Token is null ? null : new AuthenticationHeaderValue("Bearer", target.Token);
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Authorization = authorization;
            var start = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                await using (var body = await response.Content.ReadAsStreamAsync())
                {
                    while (await body.ReadAsync(buffer) > 0)
                    {
                    }
                }
                var status = (int)response.StatusCode;
                sample.Statuses[status] = sample.Statuses.GetValueOrDefault(status) + 1;
                if (status != 200)
                {
                    sample.Non200++;
                }
            }
            catch (HttpRequestException)
            {
                sample.Errors++;
            }
            catch (TaskCanceledException)
            {
                sample.Errors++;
            }
            sample.Requests++;
            sample.LatenciesMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    public void Dispose()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }
}
