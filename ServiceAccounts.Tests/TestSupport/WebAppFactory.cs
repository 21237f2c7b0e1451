using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace ServiceAccounts.Tests.TestSupport;

/// <summary>
/// The real web app (Program) on a fresh SQLite file of its own, created, migrated and seeded with the demo data
/// at startup, exactly as an operator's first run. Not sealed: API tests derive from it to add settings and log capture.
/// </summary>
public class WebAppFactory : WebApplicationFactory<Program>
{
    public const string DemoPassword = "Passw0rd!demo";

    public WebAppFactory()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
    }

    public string DatabasePath { get; } = Path.Combine(Path.GetTempPath(), "sa-tests", $"web-{Guid.NewGuid():N}.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Default", $"Data Source={DatabasePath};Pooling=False");
        builder.UseSetting("Seed:Demo", "true");
    }

    /// <summary>A browser-like client: keeps cookies, doesn't follow redirects (tests look at them).</summary>
    public HttpClient NewBrowser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try
            {
                File.Delete(DatabasePath + suffix);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>Static (SSR) forms the way a browser submits them: GET the page, then POST its fields with the antiforgery token.</summary>
public static partial class HtmlForms
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string path, string formName, IDictionary<string, string> fields)
    {
        var page = await client.GetAsync(path);
        page.StatusCode.Should().Be(HttpStatusCode.OK, $"GET {path} should show the form");
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html);
        token.Success.Should().BeTrue($"the form on {path} should carry an antiforgery token");
        var form = new Dictionary<string, string>(fields)
        {
            ["_handler"] = formName,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        };
        return await client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    public static Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password) =>
        client.SubmitAsync("/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
}
