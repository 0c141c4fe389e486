using System.ComponentModel.DataAnnotations;

namespace Fanout.ServiceDefaults.Tracing;

/// <summary>Whether the service records traces, and which (docs/operations.md, "Tracing").</summary>
public sealed class TracingOptions
{
    public const string SectionName = "Telemetry:Tracing";

    /// <summary>
    /// On: activities are created (trace ids in every log line of a traced operation, W3C trace context in the AMQP
    /// headers) and sampled spans are exported when an OTLP endpoint is set. Unset: on exactly when an OTLP endpoint is
    /// configured (<see cref="OtlpOptions.Endpoint"/> or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// Share of new traces recorded, 0–1 (parent-based: a span follows its parent's decision, so a trace is kept or
    /// dropped whole). Unset: <c>OTEL_TRACES_SAMPLER</c>/<c>OTEL_TRACES_SAMPLER_ARG</c> when given, else 1.
    /// </summary>
    [Range(0.0, 1.0)]
    public double? SampleRatio { get; set; }

    /// <summary>More <c>ActivitySource</c> names to record (wildcards allowed), e.g. <c>Npgsql</c>, <c>Microsoft.AspNetCore.SignalR.Server</c>.</summary>
    public List<string> AdditionalSources { get; set; } = [];
}
