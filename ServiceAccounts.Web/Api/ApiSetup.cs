using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.OpenApi;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Web.Api;

/// <summary>The HTTP API for service accounts: /api/v0, bearer tokens, every request audited.</summary>
public static class ApiSetup
{
    public const string Policy = "ServiceAccountToken";
    public const string DocumentName = "v0";

    public static IServiceCollection AddServiceAccountsApi(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ServiceAccountTokenHandler>(ServiceAccountTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(ServiceAccountTokenHandler.SchemeName).RequireAuthenticatedUser());
        services.AddOptions<FailedAuthenticationOptions>().BindConfiguration(FailedAuthenticationOptions.Section);
        services.AddSingleton<FailedAuthenticationLimiter>();
        services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DictionaryKeyPolicy = null;
        });
        services.AddProblemDetails();
        // Request logs at Information carry the URL, and a token wrongly sent in a query string with it:
        // that category stays at Warning whatever the configuration says.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ServiceAccounts API",
                    Version = DocumentName,
                    Description = "Called by service accounts with their tokens: `Authorization: Bearer sat_…`. Errors are RFC 9457 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "sat_<id>_<secret><checksum>",
                    Description = "A service account token, created in the console (Tokens tab).",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static WebApplication MapServiceAccountsApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v0")
            .RequireAuthorization(Policy)
            .AddEndpointFilter<ApiRequestAuditFilter>()
            .DisableAntiforgery();
        ActorApi.Map(api);
        var entity = api.MapGroup("/{kind:regex(^(org|tenant)$)}/{handle}");
        MembersApi.Map(entity);
        ServiceAccountsApi.Map(entity);
        TokensApi.Map(entity);
        AuditLogApi.Map(entity);

        app.MapFallback("/api/{**path}", (HttpContext http) => ApiProblems.Problem(StatusCodes.Status404NotFound, "Not found",
            $"There is no API endpoint {http.Request.Method} {http.Request.Path}. The endpoints are listed at /api/docs."));

        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "api/docs";
            options.DocumentTitle = "ServiceAccounts API";
            options.SwaggerEndpoint($"/openapi/{DocumentName}.json", "ServiceAccounts API v0");
        });
        return app;
    }

    /// <summary>The entity named by the route: <c>/org/{handle}</c> or <c>/tenant/{handle}</c>.</summary>
    public static EntityRef Entity(string kind, string handle) => new(kind == "org" ? EntityKind.Org : EntityKind.Tenant, handle);

    /// <summary>The version in <c>If-Match</c> (<c>"3"</c>, <c>W/"3"</c> or <c>3</c>); null when absent.</summary>
    public static (long? Version, ProblemHttpResult? Problem) IfMatch(HttpRequest request)
    {
        string? header = request.Headers.IfMatch;
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
        {
            return (null, null);
        }
        var text = header.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }
        text = text.Trim('"');
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? (version, null)
            : (null, ApiProblems.BadRequest($"If-Match must be the version_id you read, e.g. If-Match: \"3\" (got {header})."));
    }

    public static string ETag(long version) => $"\"{version}\"";

    /// <summary>The status this endpoint answers when its change succeeds; its api.request record is saved with the change.</summary>
    public static RouteHandlerBuilder SucceedsWith(this RouteHandlerBuilder builder, int status) =>
        builder.WithMetadata(new SuccessStatus(status));

    public sealed record SuccessStatus(int Status);
}

/// <summary>
/// Writes the api.request record of every request made with a token: with the change it makes (same
/// transaction, see Core's Db), or else afterwards with the status it was answered.
/// </summary>
public sealed partial class ApiRequestAuditFilter(ApiRequestRecorder recorder) : IEndpointFilter
{
    /// <summary>Each endpoint's route template and success status, worked out once.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Endpoint, (string Route, int SuccessStatus)> Described = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var endpoint = http.GetEndpoint();
        var (route, successStatus) = endpoint is null
            ? (RouteTemplate(http.Request.Path.Value ?? "/"), StatusCodes.Status200OK)
            : Described.GetOrAdd(endpoint, static e => (
                RouteTemplate((e as RouteEndpoint)?.RoutePattern.RawText ?? "/"),
                e.Metadata.GetMetadata<ApiSetup.SuccessStatus>()?.Status ?? StatusCodes.Status200OK));
        using var scope = ApiRequestAudit.Begin(ServiceAccountTokenHandler.ActorOf(http), http.Request.Method, route);
        scope.Audit.SuccessStatus = successStatus;
        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            recorder.Enqueue(scope.Audit, StatusCodes.Status500InternalServerError);
            throw;
        }
        recorder.Enqueue(scope.Audit, StatusOf(result));
        return result;
    }

    /// <summary>The route as the OpenAPI document names it: <c>/api/v0/{kind}/{handle}/service_account</c>.</summary>
    public static string RouteTemplate(string rawText) =>
        "/" + ConstraintPattern().Replace(rawText, "{$1}").Trim('/');

    private static int StatusOf(object? result)
    {
        // Results<A, B> wraps the result the handler chose.
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }
        return result is IStatusCodeHttpResult { StatusCode: { } status } ? status : StatusCodes.Status200OK;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)(?::[^{}]*(?:\([^)]*\))?[^{}]*)?\}")]
    private static partial System.Text.RegularExpressions.Regex ConstraintPattern();
}
