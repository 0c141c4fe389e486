using System.ComponentModel.DataAnnotations;

namespace Fanout.ServiceDefaults.Tracing;

/// <summary>Where traces go: an OpenTelemetry collector (or any OTLP receiver: Jaeger, Tempo …).</summary>
public sealed class OtlpOptions : IValidatableObject
{
    public const string SectionName = "Telemetry:Otlp";

    /// <summary>
    /// Base URL of the OTLP receiver, as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (which it overrides): e.g.
    /// <c>http://collector:4317</c> for gRPC, <c>http://collector:4318</c> for HTTP (<c>/v1/traces</c> is appended).
    /// Unset and no <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: nothing is exported.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>; unset: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, else <c>grpc</c>.</summary>
    public string? Protocol { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Endpoint) && !TracingSettings.IsHttpUri(Endpoint))
        {
            yield return new ValidationResult($"{SectionName}:Endpoint must be an absolute http or https URL, not '{Endpoint}'.", [nameof(Endpoint)]);
        }

        if (!string.IsNullOrWhiteSpace(Protocol) && TracingSettings.ParseProtocol(Protocol) is null)
        {
            yield return new ValidationResult($"{SectionName}:Protocol must be 'grpc' or 'http/protobuf', not '{Protocol}'.", [nameof(Protocol)]);
        }
    }
}
