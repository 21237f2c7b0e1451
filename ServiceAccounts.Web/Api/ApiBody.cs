using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ServiceAccounts.Web.Api;

/// <summary>
/// A JSON request body read field by field, so that every mistake (malformed JSON, a wrong type, an unknown
/// field) gets a 400 that names the field, rather than the framework's generic binding failure.
/// </summary>
public sealed class ApiBody
{
    public const int MaxBytes = 16 * 1024;

    private readonly JsonElement root;
    private readonly Dictionary<string, string> errors = [];

    private ApiBody(JsonElement root) => this.root = root;

    public static async Task<(ApiBody? Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, params string[] allowedFields)
    {
        if (request.ContentLength is > MaxBytes)
        {
            return (null, ApiProblems.BadRequest($"The request body is larger than {MaxBytes / 1024} KB."));
        }
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, ApiProblems.BadRequest("Send the request body as JSON, with 'Content-Type: application/json'."));
        }
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted);
        }
        catch (JsonException exception)
        {
            return (null, ApiProblems.BadRequest($"The request body is not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1})."));
        }
        using (document)
        {
            var root = document.RootElement.Clone();
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, ApiProblems.BadRequest("The request body must be a JSON object."));
            }
            var unknown = root.EnumerateObject().Select(p => p.Name).Where(n => !allowedFields.Contains(n)).ToList();
            if (unknown.Count > 0)
            {
                return (null, ApiProblems.BadRequest(
                    $"Unknown field{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(n => $"'{n}'"))}. Allowed: {string.Join(", ", allowedFields)}.", unknown[0]));
            }
            return (new ApiBody(root), null);
        }
    }

    public bool Has(string field) => root.TryGetProperty(field, out _);

    /// <summary>A string field; null when absent or null.</summary>
    public string? String(string field)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors[field] = $"'{field}' must be a string.";
            return null;
        }
        return value.GetString();
    }

    /// <summary>A whole number of seconds, or null (JSON null).</summary>
    public long? Seconds(string field)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds))
        {
            errors[field] = $"'{field}' must be a whole number of seconds, or null.";
            return null;
        }
        if (seconds <= 0)
        {
            errors[field] = $"'{field}' must be a positive number of seconds, or null for a token that never expires.";
            return null;
        }
        return seconds;
    }

    /// <summary>One of <paramref name="allowed"/>; null when absent.</summary>
    public string? OneOf(string field, params string[] allowed)
    {
        var text = String(field);
        if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            errors[field] = $"'{field}' must be one of {string.Join(", ", allowed.Select(a => $"'{a}'"))} (got '{text}').";
            return null;
        }
        return text;
    }

    public void Require(string field, string message)
    {
        if (!Has(field))
        {
            errors[field] = message;
        }
    }

    /// <summary>The problems found while reading, or null.</summary>
    public ProblemHttpResult? Problem() => errors.Count == 0
        ? null
        : ApiProblems.Problem(StatusCodes.Status400BadRequest, "Invalid request", string.Join(" ", errors.Values), errors);
}
