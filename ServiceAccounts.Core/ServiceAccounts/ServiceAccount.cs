using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Core.ServiceAccounts;

/// <summary>A non-human user bound to its billing entity. Its role lives in its membership of that entity.</summary>
public sealed class ServiceAccount
{
    public const int TitleMaxLength = 100;
    public const int DescriptionMaxLength = 500;

    private ServiceAccount()
    {
    }

    public string Id { get; private set; } = null!;
    public string Handle { get; private set; } = null!;
    public string Title { get; private set; } = null!;
    public string Description { get; private set; } = string.Empty;
    public string BillingEntityId { get; private set; } = null!;
    public TenancyEntity BillingEntity { get; private set; } = null!;
    public DateTime CreatedAt { get; private set; }
    public string CreatedById { get; private set; } = null!;
    public string CreatedByHandle { get; private set; } = null!;
    public DateTime UpdatedAt { get; private set; }
    public string UpdatedById { get; private set; } = null!;
    public string UpdatedByHandle { get; private set; } = null!;
    public DateTime? LastActivityAt { get; private set; }

    /// <summary>Optimistic concurrency: bumped by every change; callers send back the one they read.</summary>
    public long Version { get; private set; } = 1;

    public static ServiceAccount Create(string id, string handle, string title, string description, string billingEntityId, Stamp by) => new()
    {
        Id = id,
        Handle = handle,
        Title = title,
        Description = description,
        BillingEntityId = billingEntityId,
        CreatedAt = by.At,
        CreatedById = by.ActorId,
        CreatedByHandle = by.ActorHandle,
        UpdatedAt = by.At,
        UpdatedById = by.ActorId,
        UpdatedByHandle = by.ActorHandle,
    };

    public void Update(string title, string description, Stamp by)
    {
        Title = title;
        Description = description;
        Touch(by);
    }

    public void Touch(Stamp by)
    {
        UpdatedAt = by.At;
        UpdatedById = by.ActorId;
        UpdatedByHandle = by.ActorHandle;
        Version++;
    }

    public void RecordActivity(DateTime at) => LastActivityAt = at;
}

/// <summary>Who changed something, and when.</summary>
public readonly record struct Stamp(string ActorId, string ActorHandle, DateTime At);
