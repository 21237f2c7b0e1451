namespace ServiceAccounts.Core.Security;

public enum ActorType
{
    Anonymous,
    User,
    ServiceAccount,
    Support,
    System,
}

/// <summary>
/// Who is calling Core, and from where. Rights are never read from here: every service looks up the
/// actor's memberships in the database inside the query, so a role change takes effect at once.
/// </summary>
public sealed record Actor
{
    private Actor(ActorType type, string? id, string? handle, string? displayName)
    {
        Type = type;
        Id = id;
        Handle = handle;
        DisplayName = displayName;
    }

    public ActorType Type { get; }
    public string? Id { get; }
    public string? Handle { get; }
    public string? DisplayName { get; }

    /// <summary>The token a service account authenticated with.</summary>
    public string? TokenId { get; init; }

    /// <summary>For a service account: the billing entity it belongs to (whose audit chain its requests extend).</summary>
    public string? BillingEntityId { get; init; }

    public string? Ip { get; init; }
    public string? UserAgent { get; init; }

    public static Actor Anonymous { get; } = new(ActorType.Anonymous, null, null, null);

    public static Actor System { get; } = new(ActorType.System, "system", "system", "System");

    public static Actor User(string id, string handle, string displayName) => new(ActorType.User, id, handle, displayName);

    public static Actor Support(string id, string handle, string displayName) => new(ActorType.Support, id, handle, displayName);

    public static Actor ServiceAccount(string id, string handle, string title, string tokenId) =>
        new(ActorType.ServiceAccount, id, handle, title) { TokenId = tokenId };

    /// <summary>The same actor seen from a client address and user agent.</summary>
    public Actor From(string? ip, string? userAgent) => this with { Ip = ip, UserAgent = Truncate(userAgent, 512) };

    public bool IsMemberKind => Type is ActorType.User or ActorType.ServiceAccount;

    public override string ToString() => $"{Type}:{Handle ?? "-"}";

    private static string? Truncate(string? value, int max) => value is { Length: > 0 } && value.Length > max ? value[..max] : value;
}
