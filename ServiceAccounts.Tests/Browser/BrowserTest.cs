using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ServiceAccounts.Tests.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace ServiceAccounts.Tests.Browser;

/// <summary>
/// A browser test: a fresh context and page (desktop size) per test over the shared <see cref="BrowserApp"/>, and
/// the steps every flow needs: sign in, wait until the circuit is interactive, take screenshots at both widths.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserApp app) : IAsyncLifetime
{
    /// <summary>Resolves once the Blazor circuit is up and has rendered: MudBlazor's popover service is initialized by
    /// JS interop from the live circuit (never during prerendering, and reset by every full page load), and
    /// the reconnect dialog isn't showing.</summary>
    private const string CircuitIsInteractive = """
        () => window.Blazor !== undefined
            && window.mudpopoverHelper !== undefined
            && window.mudpopoverHelper.mainContainerClass != null
            && document.querySelector('.' + window.mudpopoverHelper.mainContainerClass) !== null
            && document.querySelector('#components-reconnect-modal[open]') === null
        """;

    /// <summary>Resolves when the DOM has been quiet for 150 ms (at most 2 s) and fonts are loaded. After a viewport
    /// change MudBlazor reports the new breakpoint to the server, which re-renders (drawer, table layout) over the
    /// circuit: there is no other event to wait for before a screenshot.</summary>
    private const string DomIsQuiet = """
        async () => {
            await document.fonts.ready;
            await new Promise(resolve => {
                let quiet;
                const done = () => { observer.disconnect(); clearTimeout(quiet); clearTimeout(cap); resolve(); };
                const observer = new MutationObserver(() => { clearTimeout(quiet); quiet = setTimeout(done, 150); });
                observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
                quiet = setTimeout(done, 150);
                const cap = setTimeout(done, 2000);
            });
        }
        """;

    private const string FontsAreLoaded = "async () => { await document.fonts.ready; }";

    private static readonly string ScreenshotDirectory = Path.Combine(AppContext.BaseDirectory, "screenshots");
    private static readonly string? ArtifactDirectory = FindArtifactDirectory();

    private readonly List<string> pageErrors = [];
    private readonly List<IBrowserContext> contexts = [];

    protected BrowserApp App { get; } = app;

    /// <summary>This test's page (its own context: no cookies from other tests).</summary>
    protected IPage Page { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Page = await NewPageAsync();
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }
    }

    /// <summary>Another fresh context and page, e.g. at phone size, or with the clipboard granted
    /// (<see cref="BrowserApp.ClipboardPermissions"/>); closed with the test's.</summary>
    protected async Task<IPage> NewPageAsync(int width = BrowserApp.DesktopWidth, int height = BrowserApp.DesktopHeight, IEnumerable<string>? permissions = null)
    {
        var page = await App.NewPageAsync(width, height, permissions);
        contexts.Add(page.Context);
        page.PageError += (_, error) => pageErrors.Add(error);
        return page;
    }

    /// <summary>Signs in on /Account/Login (a static page) and lands on <paramref name="returnPath"/>, interactive.</summary>
    protected static async Task SignInAsync(IPage page, string email, string returnPath = "/")
    {
        await page.GotoAsync("/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnPath));
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(WebAppFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await WaitForInteractiveAsync(page);
    }

    /// <summary>Opens a console page with a full page load and waits for its circuit.</summary>
    protected static async Task GotoAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitForInteractiveAsync(page);
    }

    /// <summary>Reloads the page (a new circuit) and waits until it is interactive.</summary>
    protected static async Task ReloadAsync(IPage page)
    {
        await page.ReloadAsync();
        await WaitForInteractiveAsync(page);
    }

    /// <summary>
    /// Waits until the page's Blazor circuit is connected and has rendered. Prerendered HTML looks complete but has
    /// no event handlers yet: a click made before this is lost.
    /// </summary>
    protected static async Task WaitForInteractiveAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync(CircuitIsInteractive, null, new() { Timeout = BrowserApp.TimeoutMs, PollingInterval = 25 });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The page {page.Url} did not become interactive (no Blazor circuit with MudBlazor's providers).", e);
        }
    }

    /// <summary>
    /// Saves full-page PNGs of the page at 1280 px and at 390 px width as screenshots/{name}-1280.png and -390.png in the
    /// test output (and as browser-{name}-*.png in the repository's artifacts/screenshots when that folder exists),
    /// then restores the page's size. <paramref name="currentWidthOnly"/> takes the current width alone, for states a resize
    /// would change (a responsive drawer closes when the window narrows).
    /// </summary>
    protected static async Task ScreenshotAsync(IPage page, string name, bool currentWidthOnly = false)
    {
        var (originalWidth, originalHeight) = page.ViewportSize is { } size ? (size.Width, size.Height) : (BrowserApp.DesktopWidth, BrowserApp.DesktopHeight);
        // The current width first: no resize (and no re-render) needed for it.
        var sizes = new[] { (BrowserApp.DesktopWidth, BrowserApp.DesktopHeight), (BrowserApp.PhoneWidth, BrowserApp.PhoneHeight) }
            .OrderBy(size => size.Item1 == originalWidth ? 0 : 1)
            .Take(currentWidthOnly ? 1 : 2);
        Directory.CreateDirectory(ScreenshotDirectory);
        foreach (var (width, height) in sizes)
        {
            if (page.ViewportSize?.Width != width)
            {
                await page.SetViewportSizeAsync(width, height);
                await page.EvaluateAsync(DomIsQuiet);
            }
            else
            {
                await page.EvaluateAsync(FontsAreLoaded);
            }
            var file = Path.Combine(ScreenshotDirectory, $"{Slug(name)}-{width}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true, Animations = ScreenshotAnimations.Disabled });
            if (ArtifactDirectory is not null)
            {
                File.Copy(file, Path.Combine(ArtifactDirectory, $"browser-{Path.GetFileName(file)}"), overwrite: true);
            }
        }
        if (page.ViewportSize?.Width != originalWidth || page.ViewportSize?.Height != originalHeight)
        {
            await page.SetViewportSizeAsync(originalWidth, originalHeight);
            await page.EvaluateAsync(DomIsQuiet);
        }
    }

    /// <summary>No unhandled error surfaced: Blazor's error banner is hidden and no script threw.</summary>
    protected async Task ExpectNoErrorsAsync(IPage page)
    {
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        pageErrors.Should().BeEmpty("no script error should happen in the page");
    }

    protected static Regex PathEndsWith(string path) => new(Regex.Escape(path) + @"(\?.*)?$");

    private static string Slug(string name) => Regex.Replace(name.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');

    /// <summary>The repository's artifacts/screenshots folder (found above the test binaries), if someone created it.</summary>
    private static string? FindArtifactDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ServiceAccounts.sln")))
            {
                var artifacts = Path.Combine(directory.FullName, "artifacts", "screenshots");
                return Directory.Exists(artifacts) ? artifacts : null;
            }
        }
        return null;
    }
}
