using System.Text.Json;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Web.Api;

// The API's JSON, in the words of DESIGN.md; serialized in snake_case.

public sealed record EntityDto(string Kind, string Handle)
{
    public static EntityDto From(EntityRef entity) => new(entity.Kind == EntityKind.Org ? "org" : "tenant", entity.Handle);
}

public sealed record ServiceAccountDto(
    string Id,
    string Handle,
    string Title,
    string Description,
    string Role,
    EntityDto BillingEntity,
    DateTime CreatedAt,
    string CreatedBy,
    DateTime UpdatedAt,
    string UpdatedBy,
    DateTime? LastActivityAt,
    long VersionId,
    int TokenCount)
{
    public static ServiceAccountDto From(ServiceAccountView v) => new(
        v.Id, v.Handle, v.Title, v.Description, ApiNames.Role(v.Role), EntityDto.From(v.BillingEntity),
        v.CreatedAt, v.CreatedByHandle, v.UpdatedAt, v.UpdatedByHandle, v.LastActivityAt, v.Version, v.TokenCount);
}

public sealed record TokenDto(
    string Id,
    string ServiceAccountId,
    string? Title,
    string Status,
    string Last4,
    DateTime? ExpiresAt,
    DateTime CreatedAt,
    string CreatedBy,
    DateTime UpdatedAt,
    string UpdatedBy,
    DateTime? LastUsedAt,
    long VersionId)
{
    public static TokenDto From(TokenView t) => new(
        t.Id, t.ServiceAccountId, t.Title, ApiNames.Status(t.Status), t.Last4, t.ExpiresAt,
        t.CreatedAt, t.CreatedByHandle, t.UpdatedAt, t.UpdatedByHandle, t.LastUsedAt, t.Version);
}

/// <summary>A token just created: the only response that ever holds its secret.</summary>
public sealed record CreatedTokenDto(TokenDto Token, string Secret)
{
    public override string ToString() => $"CreatedTokenDto {{ Token = {Token}, Secret = *** }}";
}

public sealed record MemberDto(string Id, string Handle, string DisplayName, string Type, string Role, DateTime? LastActivityAt, EntityDto? ManagedIn)
{
    public static MemberDto From(MemberRow m) => new(
        m.Id, m.Handle, m.DisplayName, m.Kind == MemberKind.User ? "user" : "service_account", ApiNames.Role(m.Role), m.LastActivityAt,
        m.ManagedIn is { } entity ? EntityDto.From(entity) : null);
}

public sealed record AuditRecordDto(
    long Id,
    long Sequence,
    DateTime CreatedAt,
    string ActionType,
    string ActorType,
    string? ActorId,
    string? ActorHandle,
    string? ActorDisplayName,
    string? ActorIp,
    string? UserAgent,
    string? IdentityId,
    string? IdentityHandle,
    string? TargetId,
    string? TargetHandle,
    string? TokenId,
    JsonElement Data,
    string PrevHash,
    string Hash)
{
    public static AuditRecordDto From(AuditRecordView r) => new(
        r.Id, r.Sequence, r.CreatedAt, r.ActionType, ActorTypeName(r.ActorType), r.ActorId, r.ActorHandle,
        r.ActorDisplayName, r.ActorIp, r.ActorUserAgent, r.IdentityId, r.IdentityHandle, r.TargetId, r.TargetHandle, r.TokenId,
        JsonDocument.Parse(r.Data).RootElement.Clone(), r.PrevHash, r.Hash);

    /// <summary>user, service_account, support, system: DESIGN.md's actor_type values.</summary>
    public static string ActorTypeName(ActorType type) => JsonNamingPolicy.SnakeCaseLower.ConvertName(type.ToString());
}

public sealed record ItemsDto<T>(IReadOnlyList<T> Items);

public sealed record PageDto<T>(IReadOnlyList<T> Items, int Total, int Page, int PerPage);

public sealed record AuditPageDto(IReadOnlyList<AuditRecordDto> Items, string? NextToken);

internal static class ApiNames
{
    public static string Role(Role role) => role == Core.Tenancy.Role.Owner ? "owner" : "member";

    public static string Status(TokenStatus status) => status == TokenStatus.Active ? "active" : "inactive";
}
