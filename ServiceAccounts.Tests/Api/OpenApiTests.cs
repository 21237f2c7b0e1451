using System.Net;
using System.Text.RegularExpressions;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Api;

public sealed partial class OpenApiTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    [GeneratedRegex("""(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [Fact]
    public async Task OpenApiDocument_Anonymous_DescribesThePathsAndTheBearerScheme()
    {
        using var client = app.ClientWith(null);

        var response = await client.GetAsync("/openapi/v0.json");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var document = await response.JsonAsync();
        document.GetProperty("openapi").GetString().Should().StartWith("3.");
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        scheme.GetProperty("type").GetString().Should().Be("http");
        scheme.GetProperty("scheme").GetString().Should().Be("bearer");
        document.GetProperty("security")[0].TryGetProperty("bearer", out _).Should().BeTrue("every operation needs the token");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.Should().Contain(
        [
            "/api/v0/actor",
            "/api/v0/{kind}/{handle}/service_account",
            "/api/v0/{kind}/{handle}/service_account/{sa_id}",
            "/api/v0/{kind}/{handle}/service_account/{sa_id}/token",
            "/api/v0/{kind}/{handle}/service_account/{sa_id}/token/{token_id}",
            "/api/v0/{kind}/{handle}/service_account/{sa_id}/audit_log",
            "/api/v0/{kind}/{handle}/member",
        ]);
        paths.Should().OnlyContain(p => p.StartsWith("/api/v0/", StringComparison.Ordinal), "console and Identity endpoints are not part of the API");
        var account = document.GetProperty("paths").GetProperty("/api/v0/{kind}/{handle}/service_account/{sa_id}");
        account.EnumerateObject().Select(o => o.Name).Should().Contain(["get", "patch", "delete"]);
    }

    [Fact]
    public async Task ApiReference_Anonymous_IsServedByTheAppWithoutACdn()
    {
        using var client = app.ClientWith(null);

        var page = await client.GetAsync("/api/docs/index.html");

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var html = await page.Content.ReadAsStringAsync();
        ExternalReference().Matches(html).Select(m => m.Groups[1].Value).Should().BeEmpty("scripts and styles come from the app itself");
        html.Should().NotContainAny("unpkg.com", "cdn.jsdelivr", "cdnjs");
        var assets = Regex.Matches(html, """(?:src|href)\s*=\s*["']([^"']+\.(?:js|css))""").Select(m => m.Groups[1].Value).ToList();
        assets.Should().Contain(a => a.EndsWith("swagger-ui-bundle.js", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            var response = await client.GetAsync(new Uri(new Uri("http://localhost/api/docs/index.html"), asset));
            response.StatusCode.Should().Be(HttpStatusCode.OK, $"{asset} is served by the app");
        }
        var configuration = await client.GetStringAsync("/api/docs/index.js");
        configuration.Should().Contain("\"url\":\"/openapi/v0.json\"", "the reference reads this app's document");
        configuration.Should().NotContain("petstore");
    }
}
