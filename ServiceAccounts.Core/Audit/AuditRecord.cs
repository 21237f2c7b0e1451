using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ServiceAccounts.Core.Security;

namespace ServiceAccounts.Core.Audit;

/// <summary>
/// Who did what, when, from where. Append-only: each record carries its entity's sequence number and
/// the hash of the previous record, so an edit, a deletion or a reordering breaks the chain.
/// </summary>
public sealed class AuditRecord
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private AuditRecord()
    {
    }

    public long Id { get; private set; }

    /// <summary>The billing entity (or tenant) whose chain this record extends.</summary>
    public string EntityId { get; private set; } = null!;

    public long Sequence { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public string ActionType { get; private set; } = null!;
    public ActorType ActorType { get; private set; }
    public string? ActorId { get; private set; }
    public string? ActorHandle { get; private set; }
    public string? ActorDisplayName { get; private set; }
    public string? ActorIp { get; private set; }
    public string? ActorUserAgent { get; private set; }

    /// <summary>The service account the record is about; its Audit Log tab shows it.</summary>
    public string? IdentityId { get; private set; }

    public string? IdentityHandle { get; private set; }
    public string? TargetId { get; private set; }
    public string? TargetHandle { get; private set; }
    public string? TokenId { get; private set; }

    /// <summary>JSON: what changed, as { field: { before, after } }, or facts about the event. Never a secret.</summary>
    public string Data { get; private set; } = "{}";

    public string PrevHash { get; private set; } = null!;
    public string Hash { get; private set; } = null!;

    public static AuditRecord Create(string entityId, string actionType, Actor actor, DateTime at, AuditSubject subject, object? data) => new()
    {
        EntityId = entityId,
        ActionType = actionType,
        CreatedAt = at,
        ActorType = actor.Type,
        ActorId = actor.Id,
        ActorHandle = actor.Handle,
        ActorDisplayName = actor.DisplayName,
        ActorIp = actor.Ip,
        ActorUserAgent = actor.UserAgent,
        IdentityId = subject.IdentityId,
        IdentityHandle = subject.IdentityHandle,
        TargetId = subject.TargetId,
        TargetHandle = subject.TargetHandle,
        TokenId = subject.TokenId ?? actor.TokenId,
        Data = data is null ? "{}" : data as string ?? JsonSerializer.Serialize(data, AuditJson.Options),
    };

    /// <summary>Places the record after <paramref name="previousHash"/> in its entity's chain.</summary>
    internal void Seal(long sequence, string previousHash)
    {
        Sequence = sequence;
        PrevHash = previousHash;
        Hash = ComputeHash();
    }

    /// <summary>The hash this record should carry, from its own fields and <see cref="PrevHash"/>.</summary>
    public string ComputeHash()
    {
        string?[] fields =
        [
            EntityId, Sequence.ToString(CultureInfo.InvariantCulture), CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ActionType, ActorType.ToString(), ActorId, ActorHandle, ActorDisplayName, ActorIp, ActorUserAgent,
            IdentityId, IdentityHandle, TargetId, TargetHandle, TokenId, Data, PrevHash,
        ];
        // A JSON array keeps field boundaries unambiguous (no "a|b" + "c" = "a" + "b|c").
        var canonical = JsonSerializer.SerializeToUtf8Bytes(fields);
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }
}

/// <summary>Whom a record is about: the service account (identity), the thing changed (target), the token.</summary>
public sealed record AuditSubject(string? IdentityId = null, string? IdentityHandle = null, string? TargetId = null, string? TargetHandle = null, string? TokenId = null);

internal static class AuditJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
    };
}

/// <summary>A field's value before and after a change.</summary>
public sealed record Change<T>(T Before, T After);
