namespace ServiceAccounts.Core.Tokens;

public enum TokenStatus
{
    Active,
    Inactive,
}

/// <summary>An API token of a service account. Only the SHA-256 digest of its secret is kept.</summary>
public sealed class ApiToken
{
    public const int TitleMaxLength = 100;

    /// <summary>A service account has at most this many tokens; the (account, slot) unique index enforces it.</summary>
    public const int MaxPerServiceAccount = 2;

    private ApiToken()
    {
    }

    public string Id { get; private set; } = null!;
    public string ServiceAccountId { get; private set; } = null!;
    public int Slot { get; private set; }
    public string? Title { get; private set; }
    public TokenStatus Status { get; private set; }
    public string Last4 { get; private set; } = null!;
    public byte[] SecretDigest { get; private set; } = null!;
    public DateTime? ExpiresAt { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public string CreatedById { get; private set; } = null!;
    public string CreatedByHandle { get; private set; } = null!;
    public DateTime UpdatedAt { get; private set; }
    public string UpdatedById { get; private set; } = null!;
    public string UpdatedByHandle { get; private set; } = null!;
    public DateTime? LastUsedAt { get; private set; }
    public long Version { get; private set; } = 1;

    public static ApiToken Create(string id, string serviceAccountId, int slot, string? title, string last4, byte[] digest, DateTime? expiresAt, ServiceAccounts.Stamp by) => new()
    {
        Id = id,
        ServiceAccountId = serviceAccountId,
        Slot = slot,
        Title = title,
        Status = TokenStatus.Active,
        Last4 = last4,
        SecretDigest = digest,
        ExpiresAt = expiresAt,
        CreatedAt = by.At,
        CreatedById = by.ActorId,
        CreatedByHandle = by.ActorHandle,
        UpdatedAt = by.At,
        UpdatedById = by.ActorId,
        UpdatedByHandle = by.ActorHandle,
    };

    public bool IsExpired(DateTime now) => ExpiresAt is { } at && at <= now;

    public void SetStatus(TokenStatus status, ServiceAccounts.Stamp by)
    {
        Status = status;
        Touch(by);
    }

    public void Rename(string? title, ServiceAccounts.Stamp by)
    {
        Title = title;
        Touch(by);
    }

    /// <summary>Records a use, at most once per <paramref name="interval"/>; true when something changed.</summary>
    public bool RecordUse(DateTime now, TimeSpan interval)
    {
        if (LastUsedAt is { } last && now - last < interval)
        {
            return false;
        }
        LastUsedAt = now;
        return true;
    }

    private void Touch(ServiceAccounts.Stamp by)
    {
        UpdatedAt = by.At;
        UpdatedById = by.ActorId;
        UpdatedByHandle = by.ActorHandle;
        Version++;
    }
}
