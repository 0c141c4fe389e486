using Fanout.ServiceDefaults.Metrics;
using Fanout.ServiceDefaults.Tracing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>Tag for health checks that gate <c>/health/ready</c>.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// JSON logs to stdout (with the trace and span ids of the current activity as a scope), RFC 7807 problem details,
    /// health checks, Prometheus metrics, traces and metrics (OpenTelemetry, OTLP when an endpoint is configured).
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            options.UseUtcTimestamp = true;
        });
        builder.Logging.Configure(options =>
            options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        builder.AddFanoutTelemetry();

        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
        builder.Services.AddPrometheusMetrics();
        builder.Services.AddValidatedOptions<ManagementOptions>(ManagementOptions.SectionName);
        ManagementPort.Listen(builder);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(15));

        // In every environment, not only Development: a scoped service taken by a singleton, or a registration that
        // cannot be built, fails at start (and so in the tests) instead of in production.
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true }));
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers (no dependency is checked);
    /// <c>/health/ready</c>: every check tagged <see cref="ReadyTag"/> passes;
    /// <c>/metrics</c>: the Prometheus scrape endpoint (docs/operations.md): on the management port only when
    /// <c>Management:Port</c> is set; else on the service's port, open, or behind <paramref name="metricsPolicy"/> when
    /// given (Ingest and the embedded mode: their metrics name API keys).
    /// </summary>
    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder app, string? metricsPolicy = null)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapPrometheusMetrics(metricsPolicy);
        return app;
    }
}
