using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace Fanout.ServiceDefaults.Tracing;

/// <summary>
/// What the tracing set-up does, resolved once at start from <c>Telemetry:*</c> and the standard OpenTelemetry
/// variables (a <c>Telemetry:*</c> key, when set, wins over its <c>OTEL_*</c> counterpart).
/// </summary>
/// <param name="Enabled">Whether activities are recorded at all.</param>
/// <param name="ExporterEndpoint">The full URL spans are exported to (for HTTP including <c>/v1/traces</c>); null: no exporter.</param>
/// <param name="Protocol">OTLP over gRPC or HTTP/protobuf.</param>
/// <param name="SampleRatio">Parent-based ratio of new traces kept; null when <c>OTEL_TRACES_SAMPLER</c> chooses the sampler.</param>
/// <param name="ServiceName">The <c>service.name</c> resource attribute.</param>
/// <param name="Sources">The <c>ActivitySource</c> names recorded.</param>
public sealed record TracingSettings(
    bool Enabled,
    Uri? ExporterEndpoint,
    OtlpExportProtocol Protocol,
    double? SampleRatio,
    string ServiceName,
    IReadOnlyList<string> Sources)
{
    /// <summary>Ours (<c>Fanout.Ingest</c>, <c>Fanout.Sequencer</c>, <c>Fanout.Realtime</c>, <c>Fanout.Presence</c>, <c>Fanout.Messaging</c>), ASP.NET Core's requests, MassTransit's control plane.</summary>
    public static readonly IReadOnlyList<string> DefaultSources = ["Fanout.*", "Microsoft.AspNetCore", "MassTransit"];

    public static TracingSettings Resolve(TracingOptions tracing, OtlpOptions otlp, IConfiguration configuration, string applicationName)
    {
        var protocol = ProtocolFrom(otlp.Protocol, "Telemetry:Otlp:Protocol")
            ?? ProtocolFrom(configuration["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"], "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
            ?? ProtocolFrom(configuration["OTEL_EXPORTER_OTLP_PROTOCOL"], "OTEL_EXPORTER_OTLP_PROTOCOL")
            ?? OtlpExportProtocol.Grpc;

        // The traces-only variable is the full URL; the others are base URLs to which HTTP adds the signal's path.
        var endpoint = BaseEndpoint(otlp.Endpoint, "Telemetry:Otlp:Endpoint", protocol)
            ?? UriFrom(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"], "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            ?? BaseEndpoint(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"], "OTEL_EXPORTER_OTLP_ENDPOINT", protocol);

        var enabled = tracing.Enabled
            ?? (!string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase) && endpoint is not null);

        var sources = DefaultSources.Concat(tracing.AdditionalSources.Where(s => !string.IsNullOrWhiteSpace(s))).Distinct(StringComparer.Ordinal).ToList();
        var serviceName = IsSet(configuration["OTEL_SERVICE_NAME"]) ? configuration["OTEL_SERVICE_NAME"]! : applicationName;
        return new TracingSettings(enabled, endpoint, protocol, SampleRatioFrom(tracing, configuration), serviceName, sources);
    }

    /// <summary>
    /// The full URL metrics are exported to over OTLP (for HTTP including <c>/v1/metrics</c>), from the same endpoint
    /// settings as the traces (<c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c> as the full URL); null: metrics are only
    /// scraped (<c>/metrics</c>). <c>OTEL_SDK_DISABLED=true</c> turns it off too.
    /// </summary>
    public static Uri? MetricsEndpoint(OtlpOptions otlp, IConfiguration configuration, OtlpExportProtocol protocol)
    {
        if (string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return BaseEndpoint(otlp.Endpoint, "Telemetry:Otlp:Endpoint", protocol, "/v1/metrics")
            ?? UriFrom(configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"], "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")
            ?? BaseEndpoint(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"], "OTEL_EXPORTER_OTLP_ENDPOINT", protocol, "/v1/metrics");
    }

    /// <summary>The one line the service logs about its tracing at start.</summary>
    public string Describe()
    {
        if (!Enabled)
        {
            return "off";
        }

        var sampling = SampleRatio is { } ratio ? $"parent-based, {ratio.ToString("0.####", CultureInfo.InvariantCulture)} of new traces" : "OTEL_TRACES_SAMPLER";
        var export = ExporterEndpoint is null ? "not exported (no OTLP endpoint)" : $"exported to {ExporterEndpoint} ({(Protocol == OtlpExportProtocol.Grpc ? "grpc" : "http/protobuf")})";
        return $"on as {ServiceName}: sources {string.Join(", ", Sources)}; sampling {sampling}; {export}";
    }

    internal static bool IsHttpUri(string value) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    internal static OtlpExportProtocol? ParseProtocol(string value) => value.Trim().ToLowerInvariant() switch
    {
        "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
        _ => null,
    };

    private static bool IsSet(string? value) => !string.IsNullOrWhiteSpace(value);

    private static OtlpExportProtocol? ProtocolFrom(string? value, string key)
    {
        if (!IsSet(value))
        {
            return null;
        }

        return ParseProtocol(value!) ?? throw new InvalidOperationException($"{key} must be 'grpc' or 'http/protobuf', not '{value}'.");
    }

    private static Uri? UriFrom(string? value, string key)
    {
        if (!IsSet(value))
        {
            return null;
        }

        return IsHttpUri(value!) ? new Uri(value!.Trim()) : throw new InvalidOperationException($"{key} must be an absolute http or https URL, not '{value}'.");
    }

    private static Uri? BaseEndpoint(string? value, string key, OtlpExportProtocol protocol, string signalPath = "/v1/traces")
    {
        var uri = UriFrom(value, key);
        if (uri is null || protocol == OtlpExportProtocol.Grpc)
        {
            return uri;
        }

        var builder = new UriBuilder(uri);
        builder.Path = builder.Path.TrimEnd('/') + signalPath;
        return builder.Uri;
    }

    private static double? SampleRatioFrom(TracingOptions tracing, IConfiguration configuration)
    {
        if (tracing.SampleRatio is { } ratio)
        {
            return ratio;
        }

        if (IsSet(configuration["OTEL_TRACES_SAMPLER"]))
        {
            return null;
        }

        var argument = configuration["OTEL_TRACES_SAMPLER_ARG"];
        if (!IsSet(argument))
        {
            return 1.0;
        }

        return double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 0 and <= 1
            ? parsed
            : throw new InvalidOperationException($"OTEL_TRACES_SAMPLER_ARG must be a ratio between 0 and 1, not '{argument}'.");
    }
}
