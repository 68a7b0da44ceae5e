using System.Diagnostics;
using Serilog;
using Serilog.Formatting.Json;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Serilog through ILoggingBuilder, and a request log that records the page (its route template), status and time:
/// never a query string, form body, cookie or anything a victim typed.
/// </summary>
public static class PortalLogging
{
    public static WebApplicationBuilder AddPortalLogging(this WebApplicationBuilder builder)
    {
        var configuration = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext();
        if (!builder.Configuration.GetSection("Serilog:WriteTo").Exists())
        {
            configuration = builder.Environment.IsDevelopment()
                ? configuration.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
                : configuration.WriteTo.Console(new JsonFormatter(renderMessage: true));
        }
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
        return builder;
    }

    public static IApplicationBuilder UsePortalRequestLogging(this IApplicationBuilder app)
    {
        // One logger for every request: the factory looks loggers up under a lock.
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.Requests");
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                // The endpoint's display name is the page (e.g. "/Cases/File"), not the concrete URL.
                var page = context.GetEndpoint()?.DisplayName ?? "(static or unmatched)";
                logger.LogInformation(
                    "HTTP {Method} {Page} responded {StatusCode} in {ElapsedMs:0.0} ms",
                    context.Request.Method,
                    page,
                    context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
    }
}
