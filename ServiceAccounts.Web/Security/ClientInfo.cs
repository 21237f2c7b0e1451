namespace ServiceAccounts.Web.Security;

/// <summary>
/// Where the browser connects from, read from the HTTP request that opens the page (App.razor) and handed to the
/// interactive circuit as a root parameter, because components must not read HttpContext.
/// Behind a reverse proxy, configure forwarded headers so that <see cref="Ip"/> is the client's.
/// </summary>
public sealed record ClientInfo(string? Ip, string? UserAgent)
{
    public static ClientInfo From(HttpContext context) =>
        new(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);
}
