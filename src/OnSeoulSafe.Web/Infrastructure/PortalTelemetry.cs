using System.Diagnostics;
using System.Diagnostics.Metrics;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Traces and metrics (OpenTelemetry): ASP.NET Core, HttpClient, Npgsql and the portal's own jobs (re-check, seal,
/// retention). Exported over OTLP only when an endpoint is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>); metrics are
/// also scraped at <c>/metrics</c> by an Admin. No span carries an address a request or a job used: the request's
/// route template names it, and <see cref="AddressRedaction"/> removes every URL and host tag before any exporter.
/// </summary>
public static class PortalTelemetry
{
    public const string JobsName = "OnSeoulSafe.Jobs";
    public const string MetricsPath = "/metrics";

    private static readonly string[] AspNetCoreMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.Identity"];

    private static readonly ActivitySource Jobs = new(JobsName);
    private static readonly Meter JobsMeter = new(JobsName);
    private static readonly Counter<long> JobPasses = JobsMeter.CreateCounter<long>("portal.job.passes", description: "Passes of the portal's background jobs, by job and outcome.");
    private static readonly Histogram<double> JobDuration = JobsMeter.CreateHistogram<double>("portal.job.duration", "s", "How long a pass of a background job took.");

    public static IServiceCollection AddPortalTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("OnSeoulSafe"));
        // Spans are recorded only where something collects them (an OTLP endpoint, or Portal:Telemetry:Traces for a
        // local exporter): otherwise every request would build spans nobody reads. Decided when the provider is
        // built, from the configuration the host ends up with.
        telemetry.WithTracing(tracing => tracing
            .SetSampler(provider => TracesWanted(provider.GetRequiredService<IConfiguration>()) ? new AlwaysOnSampler() : new AlwaysOffSampler())
            .AddSource(JobsName)
            .AddAspNetCoreInstrumentation(options => options.RecordException = false)
            .AddHttpClientInstrumentation(options => options.RecordException = false)
            .AddNpgsql()
            .AddProcessor(new AddressRedaction()));
        telemetry.WithMetrics(metrics => metrics
            .AddMeter(JobsName)
            // ASP.NET Core's meters named one by one rather than all of them (AddAspNetCoreInstrumentation): requests
            // (duration, in flight), connections, unhandled exceptions and Identity's sign-in checks. Left out are the
            // meters that record on every request or buffer without saying more than the request's own duration does:
            // routing's match attempts, authentication's and authorization's per-request counts, the memory pool.
            .AddMeter(AspNetCoreMeters)
            .AddHttpClientInstrumentation()
            .AddNpgsqlInstrumentation()
            .AddPrometheusExporter());
        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }
        return services;
    }

    private static bool TracesWanted(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) || configuration.GetValue("Portal:Telemetry:Traces", false);

    /// <summary>The scrape endpoint, for Admins only (the numbers say how busy the center is).</summary>
    public static void MapPortalMetrics(this WebApplication app) =>
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(PortalAuthorization.Metrics);

    /// <summary>One pass of a background job as a span and two measurements (count by outcome, duration).</summary>
    public static async Task<T> PassAsync<T>(string job, Func<Task<T>> pass)
    {
        using var activity = Jobs.StartActivity(job);
        var started = Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            var result = await pass();
            outcome = "done";
            return result;
        }
        catch (OperationCanceledException)
        {
            outcome = "stopped";
            throw;
        }
        catch (Exception e)
        {
            // The type only: a message could carry what a victim typed or a link.
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        finally
        {
            var tags = new TagList { { "job", job }, { "outcome", outcome } };
            JobPasses.Add(1, tags);
            JobDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    /// <summary>
    /// Removes, from every span as it ends and before any exporter sees it, the tags that hold an address (the
    /// request's path and query, a fetched link, its host) and a status text that could quote one.
    /// </summary>
    public sealed class AddressRedaction : BaseProcessor<Activity>
    {
        private static readonly string[] Removed =
        [
            "url.full", "url.path", "url.query", "url.original", "http.url", "http.target", "server.address", "server.port",
            "network.peer.address", "network.peer.port", "client.address", "user_agent.original",
        ];

        public override void OnEnd(Activity data)
        {
            foreach (var tag in Removed) data.SetTag(tag, null);
            if (data.Status == ActivityStatusCode.Error) data.SetStatus(ActivityStatusCode.Error);
        }
    }
}
