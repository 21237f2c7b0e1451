using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Tests.TestSupport;

/// <summary>What API tests need from the running app: tokens minted through Core as the demo owner, and clients that send them.</summary>
public static class ApiClient
{
    /// <summary>Creates a token for <paramref name="accountHandle"/> as Ada (the demo owner) and returns its secret.</summary>
    public static async Task<CreatedToken> MintTokenAsync(this WebAppFactory app, EntityRef entity, string accountHandle, TokenExpiration? expiration = null)
    {
        var ada = (await app.Services.GetUserActorAsync("owner@example.com"))!;
        var tokens = app.Services.GetRequiredService<TokenService>();
        var created = await tokens.CreateAsync(ada, entity, accountHandle, new NewToken("api test", expiration ?? TokenExpiration.AfterDays(30)));
        return created.IsOk ? created.Value! : throw new InvalidOperationException(created.ToString());
    }

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
}
