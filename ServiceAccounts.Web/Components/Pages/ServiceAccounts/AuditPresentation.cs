using System.Text.Json;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Security;

namespace ServiceAccounts.Web.Components.Pages.ServiceAccountPages;

/// <summary>How the Audit Log tab and its details read a record: the actor's kind, what changed, a one-line summary.</summary>
public static class AuditPresentation
{
    private const int SummaryValueLength = 40;

    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ActorTypeName(ActorType type) => type switch
    {
        ActorType.User => "User",
        ActorType.ServiceAccount => "Service account",
        ActorType.Support => "Support",
        ActorType.System => "System",
        _ => type.ToString(),
    };

    /// <summary>The fields of <c>data</c> shaped { before, after }, in their order.</summary>
    public static IReadOnlyList<FieldChange> Changes(string data)
    {
        var changes = new List<FieldChange>();
        if (Parse(data) is not { ValueKind: JsonValueKind.Object } root)
        {
            return changes;
        }
        foreach (var property in root.EnumerateObject())
        {
            if (property.Value is { ValueKind: JsonValueKind.Object } value
                && value.TryGetProperty("before", out var before) && value.TryGetProperty("after", out var after)
                && value.EnumerateObject().Count() == 2)
            {
                changes.Add(new FieldChange(Humanize(property.Name), Text(before), Text(after)));
            }
        }
        return changes;
    }

    /// <summary>One line under the action: "GET /api/v0/actor → 200", "title: Old → New (and 1 more)", "reason: wrong secret".</summary>
    public static string? Summary(AuditRecordView record)
    {
        if (Parse(record.Data) is not { ValueKind: JsonValueKind.Object } root)
        {
            return null;
        }
        if (record.ActionType == AuditActions.ApiRequest
            && root.TryGetProperty("method", out var method) && root.TryGetProperty("path", out var path) && root.TryGetProperty("status", out var status))
        {
            return $"{Text(method)} {Text(path)} → {Text(status)}";
        }
        if (record.ActionType == AuditActions.TokenAuthFailed && root.TryGetProperty("reason", out var reason))
        {
            return $"Reason: {Text(reason)?.Replace('_', ' ')}";
        }
        var changes = Changes(record.Data);
        if (changes.Count == 0)
        {
            return null;
        }
        var first = changes[0];
        var line = first.Before is null
            ? $"{first.Field}: {Shorten(first.After)}"
            : $"{first.Field}: {Shorten(first.Before)} → {Shorten(first.After)}";
        return changes.Count == 1 ? line : $"{line} (and {changes.Count - 1} more)";
    }

    /// <summary><c>data</c> indented for reading; left as stored if it isn't JSON.</summary>
    public static string PrettyJson(string data) =>
        Parse(data) is { } root ? JsonSerializer.Serialize(root, Pretty) : data;

    private static JsonElement? Parse(string data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };

    private static string Humanize(string name) => name.Replace('_', ' ');

    private static string Shorten(string? value) => value switch
    {
        null => "(none)",
        { Length: > SummaryValueLength } => string.Concat(value.AsSpan(0, SummaryValueLength - 1), "…"),
        _ => value,
    };
}

public sealed record FieldChange(string Field, string? Before, string? After);
