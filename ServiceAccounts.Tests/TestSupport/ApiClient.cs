using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Tests.TestSupport;

/// <summary>What API tests need from the running app: tokens minted through Core as the demo owner, and clients that send them.</summary>
public static class ApiClient
{
    public const string OwnerEmail = "owner@example.com";

    /// <summary>Creates a token for <paramref name="accountHandle"/> as Ada (the demo owner) and returns its secret.</summary>
    public static async Task<CreatedToken> MintTokenAsync(this WebAppFactory app, EntityRef entity, string accountHandle, TokenExpiration? expiration = null)
    {
        var ada = await app.OwnerAsync();
        var tokens = app.Services.GetRequiredService<TokenService>();
        var created = await tokens.CreateAsync(ada, entity, accountHandle, new NewToken("api test", expiration ?? TokenExpiration.AfterDays(30)));
        return created.IsOk ? created.Value! : throw new InvalidOperationException(created.ToString());
    }

    /// <summary>Ada, the demo owner of sandbox and acme.</summary>
    public static async Task<Actor> OwnerAsync(this WebAppFactory app) =>
        await app.Services.GetUserActorAsync(OwnerEmail) ?? throw new InvalidOperationException("The demo owner is missing.");

    /// <summary>A new service account made by Ada through Core (a unique title unless given), with the given role.</summary>
    public static async Task<ServiceAccountView> CreateAccountAsync(this WebAppFactory app, EntityRef entity, string? title = null, Role role = Role.Member)
    {
        var ada = await app.OwnerAsync();
        var accounts = app.Services.GetRequiredService<ServiceAccountService>();
        var created = CoreHost.Must(await accounts.CreateAsync(ada, entity, new NewServiceAccount(title ?? $"api {Guid.NewGuid():N}"[..16], null)));
        return role == Role.Owner ? CoreHost.Must(await accounts.ChangeRoleAsync(ada, entity, created.Handle, Role.Owner)) : created;
    }

    /// <summary>A short-lived context on the app's database, to arrange or inspect state directly.</summary>
    public static AppDbContext NewDbContext(this WebAppFactory app) =>
        app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();

    /// <summary>A client that sends <paramref name="token"/> as a bearer token (none when null).</summary>
    public static HttpClient ClientWith(this WebAppFactory app, string? token)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>Waits until the api.request records of finished requests are saved.</summary>
    public static Task FlushAuditAsync(this WebAppFactory app) => app.Services.GetRequiredService<ApiRequestRecorder>().FlushAsync();

    /// <summary>Sends <paramref name="json"/> as is (no body when null), with an optional raw If-Match header.</summary>
    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, string? json = null, string? ifMatch = null, string? contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The <c>detail</c> of a problem-details response (fails when there is none).</summary>
    public static async Task<string> DetailAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", text);
        return JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!;
    }
}
