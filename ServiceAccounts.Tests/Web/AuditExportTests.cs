using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;
using ServiceAccounts.Web.Export;

namespace ServiceAccounts.Tests.Web;

/// <summary>Export CSV / Export JSON of the Audit Log tab, over HTTP with a console sign-in, against the real app.</summary>
public sealed class AuditExportTests : IAsyncLifetime
{
    private const string Base = "/org/sandbox/service-accounts/ci-deployer/audit";
    private static readonly EntityRef Sandbox = EntityRef.Org("sandbox");
    private readonly WebAppFactory app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task ExportCsv_Owner_HoldsEveryRecordOfTheFilterNewestFirst()
    {
        using var browser = await SignedInAsync("owner@example.com");
        var expected = await CoreRecordsAsync(new AuditQuery(Actions: [AuditActions.ApiRequest, AuditActions.TokenCreate], Limit: 100));

        var response = await browser.GetAsync($"{Base}/export.csv?action=api.request&action=token.create");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        response.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        response.Content.Headers.ContentDisposition.FileName!.Trim('"').Should().StartWith("audit-sandbox-ci-deployer-").And.EndWith(".csv");
        var rows = Csv.Parse(await response.Content.ReadAsStringAsync());
        rows[0].Should().Equal(AuditExportEndpoints.CsvColumns);
        var records = rows.Skip(1).Select(r => rows[0].Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList();
        records.Select(r => long.Parse(r["id"], System.Globalization.CultureInfo.InvariantCulture)).Should().Equal(expected.Select(r => r.Id));
        records[0]["hash"].Should().Be(expected[0].Hash);
        records[0]["data"].Should().Be(expected[0].Data);
        records[0]["actor_type"].Should().Be("service_account");
    }

    [Fact]
    public async Task ExportJson_Owner_IsAnArrayOfTheApisRecordShape()
    {
        using var browser = await SignedInAsync("owner@example.com");
        var expected = await CoreRecordsAsync(new AuditQuery(Limit: 100));

        var response = await browser.GetAsync($"{Base}/export.json");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var items = json.RootElement.EnumerateArray().ToList();
        items.Select(i => i.GetProperty("id").GetInt64()).Should().Equal(expected.Select(r => r.Id));
        items[0].GetProperty("action_type").GetString().Should().Be(expected[0].ActionType);
        items[0].GetProperty("prev_hash").GetString().Should().Be(expected[0].PrevHash);
        items[0].GetProperty("data").ValueKind.Should().Be(JsonValueKind.Object);
    }

    [Fact]
    public async Task Export_BySupport_WritesAnExportRecordTheOwnerSees()
    {
        using var browser = await SignedInAsync("support@example.com");

        var response = await browser.GetAsync($"{Base}/export.csv?actor=owner");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var exports = await CoreRecordsAsync(new AuditQuery(Actions: [AuditActions.SupportAuditLogExport]));
        exports.Should().ContainSingle().Which.Should().Match<AuditRecordView>(r => r.ActorHandle == "support" && r.Data.Contains("\"actor\":\"owner\""));
    }

    [Theory]
    [InlineData("member@example.com", Base + "/export.csv")]  // a member may not read the log
    [InlineData("owner@example.com", "/org/sandbox/service-accounts/no-such-account/audit/export.csv")]
    [InlineData("owner@example.com", "/tenant/acme/service-accounts/ci-deployer/audit/export.csv")]  // not acme's account
    [InlineData("owner@example.com", Base + "/export.xlsx")]
    public async Task Export_NotAllowedOrNotThere_IsTheNotFoundPage(string email, string path)
    {
        using var browser = await SignedInAsync(email);

        var response = await browser.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Not found").And.NotContain("api.request");
    }

    [Fact]
    public async Task Export_SignedOut_GoesToSignIn()
    {
        using var browser = app.NewBrowser();

        var response = await browser.GetAsync($"{Base}/export.csv");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Contain("/Account/Login");
    }

    [Theory]
    [InlineData("?action=token.steal", "'token.steal' is not an audit action")]
    [InlineData("?from=2026-13-01", "From '2026-13-01' is not a date")]
    [InlineData("?from=2026-12-02&to=2026-12-01", "From is after To")]
    public async Task Export_BadFilter_Is400WithTheReason(string query, string detail)
    {
        using var browser = await SignedInAsync("owner@example.com");

        var response = await browser.GetAsync($"{Base}/export.csv{query}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("detail").GetString().Should().Contain(detail);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-2", "'-2")]
    [InlineData("@sum", "'@sum")]
    [InlineData(null, "")]
    public void CsvCell_QuotesAndDefusesFormulas(string? value, string expected) =>
        AuditExportEndpoints.CsvCell(value).Should().Be(expected);

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var browser = app.NewBrowser();
        var signIn = await browser.SignInAsync(email, WebAppFactory.DemoPassword);
        signIn.StatusCode.Should().Be(HttpStatusCode.Redirect);
        return browser;
    }

    private async Task<IReadOnlyList<AuditRecordView>> CoreRecordsAsync(AuditQuery query)
    {
        var owner = await app.Services.GetUserActorAsync("owner@example.com");
        await using var scope = app.Services.CreateAsyncScope();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        var records = new List<AuditRecordView>();
        string? cursor = null;
        do
        {
            var page = CoreHost.Must(await audit.QueryAsync(owner!, Sandbox, "ci-deployer", query with { Cursor = cursor }));
            records.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return records;
    }
}
