using ServiceAccounts.Core.Security;

namespace ServiceAccounts.Core.Audit;

/// <summary>
/// The api.request record of the request being served with a token. The API opens one per request;
/// a write that succeeds during the request saves the record in its own transaction (rule 8), with the
/// status the endpoint answers on success. Whatever is still unwritten when the response is known
/// (reads, refusals) is written then, with the real status.
/// </summary>
public sealed class ApiRequestAudit
{
    private static readonly AsyncLocal<ApiRequestAudit?> CurrentRequest = new();

    private ApiRequestAudit(Actor actor, string method, string route)
    {
        Actor = actor;
        Method = method;
        Route = route;
    }

    /// <summary>The request being served on this async flow, if it was made with a token.</summary>
    public static ApiRequestAudit? Current => CurrentRequest.Value;

    public Actor Actor { get; }
    public string Method { get; }
    public string Route { get; }

    /// <summary>The status the endpoint answers when its change succeeds (201 for a create, 204 for a delete…).</summary>
    public int SuccessStatus { get; set; } = 200;

    /// <summary>True once the record is saved, with a change or on its own.</summary>
    public bool IsWritten { get; internal set; }

    /// <summary>A record to write explicitly, outside any request flow.</summary>
    public static ApiRequestAudit For(Actor actor, string method, string route) => new(actor, method, route);

    /// <summary>Makes the request current for this async flow until the scope is disposed.</summary>
    public static Scope Begin(Actor actor, string method, string route)
    {
        var audit = new ApiRequestAudit(actor, method, route);
        CurrentRequest.Value = audit;
        return new Scope(audit);
    }

    /// <summary>The record's data, written by hand: this runs for every API request.</summary>
    internal string Data(int status) =>
        "{\"method\":" + System.Text.Json.JsonSerializer.Serialize(Method) + ",\"path\":" + System.Text.Json.JsonSerializer.Serialize(Route)
        + ",\"status\":" + status.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}";

    public readonly struct Scope(ApiRequestAudit audit) : IDisposable
    {
        public ApiRequestAudit Audit => audit;

        public void Dispose()
        {
            if (CurrentRequest.Value == audit)
            {
                CurrentRequest.Value = null;
            }
        }
    }
}
