namespace ServiceAccounts.Core.Common;

public enum ResultStatus
{
    Ok,
    NotFound,
    Forbidden,
    Invalid,
    Conflict,
}

/// <summary>Why a <see cref="ResultStatus.Conflict"/> happened, so callers (the API) can pick a status code.</summary>
public enum ConflictReason
{
    None,
    TokenLimit,
    StaleVersion,
    AlreadyExists,
}

/// <summary>The outcome of a Core operation: expected failures are values, not exceptions.</summary>
public sealed class Result<T>
{
    private static readonly IReadOnlyDictionary<string, string> NoErrors = new Dictionary<string, string>();

    private Result(ResultStatus status, T? value, string? message, IReadOnlyDictionary<string, string>? errors, ConflictReason conflictReason)
    {
        Status = status;
        Value = value;
        Message = message ?? string.Empty;
        Errors = errors ?? NoErrors;
        ConflictReason = conflictReason;
    }

    public ResultStatus Status { get; }
    public T? Value { get; }
    public string Message { get; }

    /// <summary>Field name → message, for <see cref="ResultStatus.Invalid"/>.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; }

    public ConflictReason ConflictReason { get; }
    public bool IsOk => Status == ResultStatus.Ok;

    public static Result<T> Ok(T value) => new(ResultStatus.Ok, value, null, null, ConflictReason.None);

    public static implicit operator Result<T>(Failure failure) =>
        new(failure.Status, default, failure.Message, failure.Errors, failure.ConflictReason);

    /// <summary>The same failure, for a result of another type.</summary>
    public Failure AsFailure() => IsOk
        ? throw new InvalidOperationException("An Ok result is not a failure.")
        : new Failure(Status, Message, Errors, ConflictReason);

    public override string ToString() => IsOk ? $"Ok({Value})" : $"{Status}: {Message}";
}

/// <summary>A typeless failure that converts to any <see cref="Result{T}"/>.</summary>
public sealed record Failure(ResultStatus Status, string Message, IReadOnlyDictionary<string, string>? Errors = null, ConflictReason ConflictReason = ConflictReason.None);

public static class Result
{
    public static Result<T> Ok<T>(T value) => Result<T>.Ok(value);

    public static Failure NotFound(string message) => new(ResultStatus.NotFound, message);

    public static Failure Forbidden(string message) => new(ResultStatus.Forbidden, message);

    public static Failure Invalid(string field, string message) =>
        new(ResultStatus.Invalid, message, new Dictionary<string, string> { [field] = message });

    public static Failure Invalid(IReadOnlyDictionary<string, string> errors) =>
        new(ResultStatus.Invalid, string.Join(" ", errors.Values), errors);

    public static Failure Conflict(ConflictReason reason, string message) => new(ResultStatus.Conflict, message, null, reason);
}

/// <summary>A result with nothing to return beyond success.</summary>
public readonly record struct Unit
{
    public static readonly Unit Value = default;
}
