using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Api;

/// <summary>
/// The real app for API tests. All test-server requests come from one client address, so the failed-authentication
/// limit is raised out of the way unless a test sets it; <see cref="Logs"/>, when set, receives every log message.
/// </summary>
public sealed class ApiAppFactory : WebAppFactory
{
    public int FailedAuthenticationPermitLimit { get; init; } = 100_000;

    public LogCapture? Logs { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Api:FailedAuthentication:PermitLimit", FailedAuthenticationPermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Logs is { } logs)
        {
            // Everything at Trace, set the way an operator would (configuration), even the request logs that
            // carry URLs: the app keeps those at Warning itself, and the tests check that it does.
            foreach (var category in new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore.Hosting.Diagnostics" })
            {
                builder.UseSetting($"Logging:LogLevel:{category}", "Trace");
            }
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        }
    }
}

/// <summary>Keeps every log message (with its exception and scopes) written while the app runs.</summary>
[ProviderAlias("Capture")]
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> messages = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Messages => messages;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder().Append(logLevel).Append(' ').Append(category).Append(": ").Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                // The structured values too: a sink that stores them (not the message) must not get a secret either.
                foreach (var (key, value) in values)
                {
                    text.Append(" | ").Append(key).Append('=').Append(value);
                }
            }
            if (exception is not null)
            {
                text.Append(" | ").Append(exception);
            }
            owner.scopes.ForEachScope((scope, builder) => builder.Append(" | scope ").Append(scope), text);
            owner.messages.Enqueue(text.ToString());
        }
    }
}
