using ServiceAccounts.Core.Security;

namespace ServiceAccounts.Core.Audit;

public sealed record AuditRecordView(
    long Id,
    long Sequence,
    DateTime CreatedAt,
    string ActionType,
    ActorType ActorType,
    string? ActorId,
    string? ActorHandle,
    string? ActorDisplayName,
    string? ActorIp,
    string? ActorUserAgent,
    string? IdentityId,
    string? IdentityHandle,
    string? TargetId,
    string? TargetHandle,
    string? TokenId,
    string Data,
    string PrevHash,
    string Hash);

/// <summary>Filters (all of them must hold) and a keyset cursor for one service account's records, newest first.</summary>
public sealed record AuditQuery(
    IReadOnlyCollection<string>? Actions = null,
    string? Actor = null,
    DateTime? From = null,
    DateTime? To = null,
    int Limit = 25,
    string? Cursor = null,
    string? Text = null,
    string? TokenId = null)
{
    public const int MaxLimit = 100;
}

/// <summary>
/// One page, newest first: <see cref="NextCursor"/> goes to older records, <see cref="PreviousCursor"/> to the page of
/// newer ones (null on the newest page).
/// </summary>
public sealed record AuditPage(IReadOnlyList<AuditRecordView> Items, string? NextCursor, string? PreviousCursor = null);

/// <summary>The outcome of walking an entity's chain; <see cref="FirstBreak"/> names the first broken link.</summary>
public sealed record ChainVerification(int RecordsChecked, ChainBreak? FirstBreak)
{
    public bool IsIntact => FirstBreak is null;
}

public sealed record ChainBreak(long RecordId, long Sequence, string Problem);

public sealed record EntityVerification(Tenancy.EntityRef Entity, ChainVerification Verification);

/// <summary>How much of a chain <see cref="AuditLog.VerifyChainAsync"/> walks.</summary>
public enum ChainCheck
{
    /// <summary>Every record, from #1.</summary>
    Full,

    /// <summary>A full walk at most <see cref="AuditLog.FullWalkInterval"/> old, extended to the newest record.</summary>
    Recent,
}
