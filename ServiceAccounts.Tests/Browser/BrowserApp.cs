using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Browser;

/// <summary>The browser tests share one app and one browser; xunit runs the tests of a collection one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserApp>
{
    public const string Name = "Browser";
}

/// <summary>
/// The real app on a real loopback port (Kestrel, a fresh SQLite file with the demo data) and one headless
/// Debian Chromium driven by Playwright. Each test opens its own <see cref="IBrowserContext"/> (own cookies, own
/// circuit) with <see cref="NewPageAsync"/>, so tests don't see each other's sign-in; tests that change data use
/// names of their own.
/// </summary>
public sealed class BrowserApp : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const int DesktopWidth = 1280;
    public const int DesktopHeight = 900;
    public const int PhoneWidth = 390;
    public const int PhoneHeight = 844;

    /// <summary>How long an action or an expectation waits before it fails: generous for a cold circuit, short enough to fail fast.</summary>
    public const float TimeoutMs = 10_000;

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private readonly KestrelAppFactory app = new();
    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>The app's root, e.g. <c>http://127.0.0.1:40123</c> (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    public IServiceProvider Services => app.Services;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests drive Debian's Chromium at {ChromiumPath}, which is not installed. " +
                "Run ./test.sh (it installs it when missing) or: sudo apt-get install -y --no-install-recommends chromium fonts-liberation");
        }

        // The app (migrations, demo data) and the browser start side by side: each takes seconds on a busy machine.
        var server = Task.Run(app.StartServer);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        await server;
        BaseUrl = LoopbackAddress(app.Services);
        Assertions.SetDefaultExpectTimeout(TimeoutMs);
    }

    /// <summary>What a context gets when a test reads back what the page copied (<c>navigator.clipboard.readText()</c>).</summary>
    public static readonly string[] ClipboardPermissions = ["clipboard-read", "clipboard-write"];

    /// <summary>
    /// A fresh context (no cookies) and its page, at desktop size unless told otherwise. <paramref name="permissions"/>
    /// are granted for the app's origin only (e.g. <see cref="ClipboardPermissions"/>).
    /// </summary>
    public async Task<IPage> NewPageAsync(int width = DesktopWidth, int height = DesktopHeight, IEnumerable<string>? permissions = null)
    {
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-US",
            TimezoneId = "UTC",
            ColorScheme = ColorScheme.Light,
        });
        context.SetDefaultTimeout(TimeoutMs);
        if (permissions is not null)
        {
            await context.GrantPermissionsAsync(permissions, new BrowserContextGrantPermissionsOptions { Origin = BaseUrl });
        }
        var page = await context.NewPageAsync();
        return page;
    }

    /// <summary>A client of the same server, as an API caller outside the browser; <paramref name="token"/> goes in as the bearer.</summary>
    public HttpClient NewApiClient(string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromMilliseconds(TimeoutMs) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }
        playwright?.Dispose();
        await app.DisposeAsync();
    }

    /// <summary>Where Kestrel listens; a wildcard address becomes 127.0.0.1 (the browser needs a host to call).</summary>
    private static string LoopbackAddress(IServiceProvider services)
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("Kestrel reported no address.");
        var address = new UriBuilder(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
        if (address.Host is "[::]" or "0.0.0.0" or "+" or "*" or "localhost")
        {
            address.Host = "127.0.0.1";
        }
        return address.Uri.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>The app of <see cref="WebAppFactory"/> (fresh SQLite file, demo data) served by Kestrel on a free loopback port.</summary>
    private sealed class KestrelAppFactory : WebAppFactory
    {
        public KestrelAppFactory()
        {
            UseKestrel(0);
        }
    }
}
