using System.Text;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Serilog for the whole host (Serilog.AspNetCore), configured from the <c>Serilog</c> section of appsettings, and
/// Serilog's request log, which here records the page (its route template), status and time: never the URL, a query
/// string, form body, cookie or anything a victim typed.
/// </summary>
public static class PortalLogging
{
    /// <summary>For the portal and for the monitoring worker run as its own process (<c>--monitor</c>) alike.</summary>
    public static TBuilder AddPortalLogging<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var development = builder.Environment.IsDevelopment();
        var sinksConfigured = builder.Configuration.GetSection("Serilog:WriteTo").Exists();
        // Serilog writes everything; the framework's own console and debug providers would write each line again.
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog((services, configuration) =>
        {
            configuration
                .ReadFrom.Configuration(builder.Configuration)
                // Sinks registered as services (the tests' recorder) see every event too.
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.With<WithoutRequestPath>();
            if (!sinksConfigured)
            {
                // The console is written by a background worker, not by the request's thread: a blocked or slow
                // console (a pipe nobody reads fast enough) then costs a queue entry, not the request's time. The
                // worker writes what has queued up in one go (one write to the console for many lines, not one per
                // request), at most a fifth of a second after the first line of a batch was logged.
                ITextFormatter formatter = development
                    ? new MessageTemplateTextFormatter("[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
                    : new JsonFormatter(renderMessage: true);
                configuration.WriteTo.Sink(
                    new BatchedConsole(formatter),
                    new BatchingOptions { BatchSizeLimit = 1000, BufferingTimeLimit = TimeSpan.FromMilliseconds(200), QueueLimit = 100_000 });
            }
        },
        // The host's own logger, not the process-wide static one: several hosts in one process (the tests) each keep
        // theirs, and stopping one does not silence the others.
        preserveStaticLogger: true,
        // Providers registered as services after this (tests' listeners) still hear every event.
        writeToProviders: true);
        return builder;
    }

    public static IApplicationBuilder UsePortalRequestLogging(this IApplicationBuilder app)
    {
        // The host's logger (without it the middleware would write to the process-wide static logger, which this
        // host leaves alone); the events' category is Serilog.AspNetCore.RequestLoggingMiddleware.
        var logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
        return app.UseSerilogRequestLogging(options =>
        {
            options.Logger = logger;
            options.MessageTemplate = "HTTP {RequestMethod} {Page} responded {StatusCode} in {Elapsed:0.0} ms";
            // The endpoint's display name is the page (e.g. "/Cases/File"), not the concrete URL; the request path
            // Serilog would add by default is left out of the event altogether.
            options.GetMessageTemplateProperties = (context, _, elapsedMs, statusCode) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
                new LogEventProperty("Page", new ScalarValue(context.GetEndpoint()?.DisplayName ?? "(static or unmatched)")),
                new LogEventProperty("StatusCode", new ScalarValue(statusCode)),
                new LogEventProperty("Elapsed", new ScalarValue(elapsedMs)),
            ];
            // Every request at Information, as before; a server error is already logged with its exception.
            options.GetLevel = (_, _, _) => LogEventLevel.Information;
        });
    }

    /// <summary>
    /// Standard output written a batch at a time through one buffer: formatting and the system call are paid once per
    /// batch instead of once per line. Batches come one after another (Serilog's batching sink), never two at once.
    /// </summary>
    private sealed class BatchedConsole(ITextFormatter formatter) : IBatchedLogEventSink, IDisposable
    {
        private readonly StreamWriter _output = new(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024)
        {
            AutoFlush = false,
        };

        public async Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
        {
            foreach (var logEvent in batch) formatter.Format(logEvent, _output);
            await _output.FlushAsync();
        }

        public void Dispose() => _output.Dispose();
    }

    /// <summary>
    /// Takes out the request's path, which ASP.NET Core's hosting log scope puts on the events of a request (the
    /// request log among them): the page is named instead.
    /// </summary>
    private sealed class WithoutRequestPath : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) => logEvent.RemovePropertyIfPresent("RequestPath");
    }
}
