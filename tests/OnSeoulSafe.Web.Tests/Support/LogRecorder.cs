using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>
/// A logger provider that keeps every log call of the host as text: category, formatted message, each structured
/// value, the exception with its inner exceptions, and every scope value (request path, trace ids ...).
/// </summary>
public sealed class LogRecorder : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Recorder(LogRecorder owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder();
            line.Append(logLevel).Append(' ').Append(category).Append(": ").Append(formatter(state, exception));
            Append(line, state);
            owner._scopes.ForEachScope((scope, text) => Append(text, scope), line);
            if (exception is not null) line.Append(" | ").Append(exception);
            owner._lines.Enqueue(line.ToString());
        }

        private static void Append(StringBuilder line, object? values)
        {
            if (values is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs) line.Append(" | ").Append(key).Append('=').Append(value);
            }
            else if (values is not null)
            {
                line.Append(" | ").Append(values);
            }
        }
    }
}
