using System.Collections.Concurrent;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>
/// A Serilog sink beside the portal's own (registered as a service, read by <c>ReadFrom.Services</c>) that keeps every
/// event of the host as text: level, category, rendered message, every property (structured values, log scopes such
/// as request ids, the request log's fields) and the exception with its inner exceptions.
/// </summary>
public sealed class LogRecorder : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public void Emit(LogEvent logEvent)
    {
        var line = new StringBuilder();
        line.Append(logEvent.Level).Append(' ');
        if (logEvent.Properties.TryGetValue(Constants.SourceContextPropertyName, out var category) && category is ScalarValue { Value: string name })
        {
            line.Append(name);
        }
        line.Append(": ").Append(Render(logEvent));
        foreach (var (key, value) in logEvent.Properties) line.Append(" | ").Append(key).Append('=').Append(value);
        if (logEvent.Exception is not null) line.Append(" | ").Append(logEvent.Exception);
        _lines.Enqueue(line.ToString());
    }

    // The message as Microsoft.Extensions.Logging renders it: a string value as it is, without Serilog's quotes.
    private static string Render(LogEvent logEvent)
    {
        using var text = new StringWriter();
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken property && logEvent.Properties.TryGetValue(property.PropertyName, out var value)
                && value is ScalarValue { Value: string plain })
            {
                text.Write(plain);
            }
            else
            {
                token.Render(logEvent.Properties, text);
            }
        }
        return text.ToString();
    }
}
