using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Fanout.ServiceDefaults.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Fanout.ServiceDefaults.Tracing;

public static class TelemetryExtensions
{
    /// <summary>
    /// OpenTelemetry through its hosting package: the providers start with the host and are flushed and disposed when
    /// it stops. Traces as <see cref="TracingSettings"/> resolves them (off: no tracer provider, so nothing listens to
    /// the activity sources), HTTP server spans from the ASP.NET Core instrumentation (health and metrics requests are
    /// not recorded), outgoing HTTP from the HttpClient instrumentation. Metrics also go over OTLP when an endpoint is
    /// configured; <c>/metrics</c> serves them to Prometheus either way. The SDK and the exporters read the other
    /// <c>OTEL_*</c> settings (headers, timeouts, batching, resource attributes) from the app's configuration.
    /// </summary>
    public static IHostApplicationBuilder AddFanoutTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TracingOptions>(TracingOptions.SectionName);
        builder.Services.AddValidatedOptions<OtlpOptions>(OtlpOptions.SectionName);

        var tracing = builder.Configuration.GetSection(TracingOptions.SectionName).Get<TracingOptions>() ?? new TracingOptions();
        var otlp = builder.Configuration.GetSection(OtlpOptions.SectionName).Get<OtlpOptions>() ?? new OtlpOptions();
        if (!IsValid(tracing) || !IsValid(otlp))
        {
            // The options' validation fails the start with a message naming the key.
            return builder;
        }

        var settings = TracingSettings.Resolve(tracing, otlp, builder.Configuration, builder.Environment.ApplicationName);
        var metricsEndpoint = TracingSettings.MetricsEndpoint(otlp, builder.Configuration, settings.Protocol);
        builder.Services.AddSingleton(settings);
        builder.Services.AddHostedService<TracingStartupLog>();
        if (!settings.Enabled && metricsEndpoint is null)
        {
            return builder;
        }

        var version = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName, serviceVersion: version));

        if (settings.Enabled)
        {
            telemetry.WithTracing(traces =>
            {
                traces.AddSource([.. settings.Sources])
                    .AddAspNetCoreInstrumentation(options =>
                    {
                        options.Filter = context => !IsOperational(context.Request.Path);
                        // Hub invocations are spans only when asked for (Telemetry:Tracing:AdditionalSources), as before.
                        options.EnableAspNetCoreSignalRSupport = false;
                    })
                    .AddHttpClientInstrumentation();
                if (settings.SampleRatio is { } ratio)
                {
                    traces.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)));
                }

                if (settings.ExporterEndpoint is { } endpoint)
                {
                    traces.AddOtlpExporter(exporter =>
                    {
                        exporter.Endpoint = endpoint;
                        exporter.Protocol = settings.Protocol;
                    });
                }
            });
        }

        if (metricsEndpoint is not null)
        {
            telemetry.WithMetrics(metrics => metrics
                .AddMeter(["Fanout.*", .. PrometheusMetricsCollector.OtherMeters])
                .AddOtlpExporter(exporter =>
                {
                    exporter.Endpoint = metricsEndpoint;
                    exporter.Protocol = settings.Protocol;
                }));
        }

        return builder;
    }

    /// <summary>Health and metrics requests: never recorded.</summary>
    public static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);

    private static bool IsValid(object options) =>
        Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true);
}
