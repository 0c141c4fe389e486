using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Fanout.ServiceDefaults.Tracing;

/// <summary>
/// Owns the process's OpenTelemetry <see cref="TracerProvider"/> (built by hand: the hosting package does not restore
/// here). It is built when the host resolves its hosted services, so before any of them starts and before the server
/// takes requests, and flushed and disposed when the host stops. Tracing off: no provider, so no listener, and every
/// <c>ActivitySource.StartActivity</c> of ours returns null at the cost of one check.
/// </summary>
public sealed partial class TracerProviderService : IHostedService, IDisposable
{
    private const int FlushTimeoutMs = 5_000;

    private readonly TracerProvider? _provider;

    public TracerProviderService(
        IOptions<TracingOptions> tracing,
        IOptions<OtlpOptions> otlp,
        IConfiguration configuration,
        IHostEnvironment environment,
        ILogger<TracerProviderService> logger)
    {
        Settings = TracingSettings.Resolve(tracing.Value, otlp.Value, configuration, environment.ApplicationName);
        _provider = Settings.Enabled ? Build(Settings, configuration) : null;
        LogTracing(logger, Settings.Describe());
    }

    public TracingSettings Settings { get; }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Exports what is still buffered (the hosted services registered after this one have stopped already).</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _provider?.Shutdown(FlushTimeoutMs);
        return Task.CompletedTask;
    }

    public void Dispose() => _provider?.Dispose();

    private static TracerProvider Build(TracingSettings settings, IConfiguration configuration)
    {
        var version = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var builder = Sdk.CreateTracerProviderBuilder()
            // The SDK and the exporter read the other OTEL_* settings (headers, timeout, batch sizes, resource
            // attributes) from the app's configuration: environment variables, appsettings, the command line.
            .ConfigureServices(services => services.AddSingleton(configuration))
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(settings.ServiceName, serviceVersion: version))
            .AddSource([.. settings.Sources]);

        if (settings.SampleRatio is { } ratio)
        {
            builder.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)));
        }

        if (settings.ExporterEndpoint is { } endpoint)
        {
            builder.AddOtlpExporter(exporter =>
            {
                exporter.Endpoint = endpoint;
                exporter.Protocol = settings.Protocol;
            });
        }

        return builder.Build();
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Tracing {Tracing}")]
    private static partial void LogTracing(ILogger logger, string tracing);
}
