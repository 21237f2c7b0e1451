using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Web.Api;

/// <summary>
/// <c>Authorization: Bearer sat_…</c> for the HTTP API, through Core's <see cref="TokenAuthenticator"/>: shape and
/// checksum first (no database for garbage), then lookup by id, a constant-time digest comparison and rule 5.
/// </summary>
public sealed class ServiceAccountTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenAuthenticator authenticator,
    FailedAuthenticationLimiter limiter)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ServiceAccountToken";
    private const string FailureKey = "sa.auth.failure";
    private const string ActorKey = "sa.actor";
    private const string AccountKey = "sa.account";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.QueryString.HasValue
            && (Request.Query.Keys.Any(k => k is "access_token" or "token") || Request.Query.Any(q => q.Value.Any(v => v?.StartsWith(TokenFormat.Prefix, StringComparison.Ordinal) == true))))
        {
            return Refuse(ApiFailure.TokenInQuery);
        }
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Refuse(ApiFailure.MissingToken);
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(ApiFailure.NotBearer);
        }
        var ip = Context.Connection.RemoteIpAddress?.ToString();
        if (limiter.RetryAfter(ip) is { } wait)
        {
            return Refuse(ApiFailure.TooManyFailures(wait));
        }
        var authentication = await authenticator.AuthenticateAsync(header["Bearer ".Length..].Trim(), ip, Request.Headers.UserAgent.ToString(), Context.RequestAborted);
        if (authentication.Actor is not { } actor)
        {
            limiter.RecordFailure(ip);
            return Refuse(ApiFailure.InvalidToken(authentication.Describe()));
        }
        Context.Items[ActorKey] = actor;
        Context.Items[AccountKey] = authentication.Account;
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, actor.Id!), new Claim(ClaimTypes.Name, actor.Handle!), new Claim("token_id", actor.TokenId!)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Items[FailureKey] as ApiFailure ?? ApiFailure.MissingToken;
        Response.StatusCode = failure.Status;
        if (failure.RetryAfter is { } wait)
        {
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            // RFC 6750: no error code when the request had no token at all.
            Response.Headers.WWWAuthenticate = failure.ErrorCode is null
                ? "Bearer"
                : $"Bearer error=\"{failure.ErrorCode}\", error_description=\"{HeaderSafe(failure.Detail)}\"";
        }
        await ApiProblems.Write(Context, failure.Status, failure.Title, failure.Detail);
    }

    private static string HeaderSafe(string text) =>
        new(text.Replace("…", "...", StringComparison.Ordinal).Where(c => c is >= ' ' and <= '~' and not '"' and not '\\').ToArray());

    private AuthenticateResult Refuse(ApiFailure failure)
    {
        Context.Items[FailureKey] = failure;
        return AuthenticateResult.Fail(failure.Detail);
    }

    /// <summary>The service account that authenticated this request.</summary>
    public static Actor ActorOf(HttpContext context) =>
        context.Items[ActorKey] as Actor ?? throw new InvalidOperationException("The request was not authenticated with a token.");

    /// <summary>The calling service account as it was read to authenticate the request.</summary>
    public static ServiceAccountView? AccountOf(HttpContext context) => context.Items[AccountKey] as ServiceAccountView;

    private sealed record ApiFailure(int Status, string Title, string Detail, string? ErrorCode, TimeSpan? RetryAfter = null)
    {
        public static readonly ApiFailure MissingToken = new(StatusCodes.Status401Unauthorized, "Unauthorized",
            "This API needs a service account token: send it as 'Authorization: Bearer sat_…'.", null);

        public static readonly ApiFailure NotBearer = new(StatusCodes.Status401Unauthorized, "Unauthorized",
            "The Authorization header must use the Bearer scheme: 'Authorization: Bearer sat_…'.", "invalid_request");

        public static readonly ApiFailure TokenInQuery = new(StatusCodes.Status401Unauthorized, "Unauthorized",
            "Tokens are not accepted in the query string, where logs and browser history keep them. Send 'Authorization: Bearer sat_…' instead, and consider this token exposed.", "invalid_request");

        public static ApiFailure InvalidToken(string detail) => new(StatusCodes.Status401Unauthorized, "Unauthorized", detail, "invalid_token");

        public static ApiFailure TooManyFailures(TimeSpan wait) => new(StatusCodes.Status429TooManyRequests, "Too many failed authentications",
            "Too many requests with invalid tokens came from this address. Wait before trying again.", null, wait);
    }
}

/// <summary>Counts failed authentications per client address with the built-in fixed-window rate limiter.</summary>
public sealed class FailedAuthenticationLimiter(IOptions<FailedAuthenticationOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(ip =>
        RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.PermitLimit,
            Window = options.Value.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Failures recorded so far: while there are none, nobody has to wait and the limiter isn't asked.</summary>
    private long failures;

    /// <summary>How long <paramref name="ip"/> must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(string? ip)
    {
        if (Interlocked.Read(ref failures) == 0)
        {
            return null;
        }
        // Asking for zero permits tells whether any are left, without using one.
        using var lease = limiter.AttemptAcquire(ip ?? "unknown", 0);
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.Value.Window;
    }

    public void RecordFailure(string? ip)
    {
        Interlocked.Increment(ref failures);
        using var _ = limiter.AttemptAcquire(ip ?? "unknown");
    }

    public void Dispose() => limiter.Dispose();
}

public sealed class FailedAuthenticationOptions
{
    public const string Section = "Api:FailedAuthentication";

    /// <summary>Failed authentications allowed per client address in each window.</summary>
    public int PermitLimit { get; set; } = 20;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
