using System.ComponentModel.DataAnnotations;
using Fanout.Messaging.Tracing;
using Fanout.ServiceDefaults.Tracing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Exporter;

namespace Fanout.UnitTests.Telemetry;

/// <summary>How <c>Telemetry:*</c> and the standard <c>OTEL_*</c> settings decide whether and where traces go.</summary>
public sealed class TracingSettingsTests
{
    [Fact]
    public void WithoutAnEndpointTracingIsOffAndNothingIsExported()
    {
        var settings = Resolve();

        settings.Enabled.ShouldBeFalse();
        settings.ExporterEndpoint.ShouldBeNull();
        settings.ServiceName.ShouldBe("Fanout.Test");
        settings.Describe().ShouldBe("off");
    }

    [Fact]
    public void TheStandardEndpointVariableTurnsTracingOnOverGrpcByDefault()
    {
        var settings = Resolve(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"));

        settings.Enabled.ShouldBeTrue();
        settings.ExporterEndpoint.ShouldBe(new Uri("http://collector:4317"));
        settings.Protocol.ShouldBe(OtlpExportProtocol.Grpc);
        settings.SampleRatio.ShouldBe(1.0);
        settings.Sources.ShouldBe(["Fanout.*", "Microsoft.AspNetCore", "MassTransit"]);
    }

    [Theory]
    [InlineData("http://collector:4318", "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4318/", "http://collector:4318/v1/traces")]
    [InlineData("https://gateway.example/otlp", "https://gateway.example/otlp/v1/traces")]
    public void OverHttpTheTracesPathIsAddedToABaseEndpoint(string baseUrl, string expected)
    {
        Resolve(("Telemetry:Otlp:Endpoint", baseUrl), ("Telemetry:Otlp:Protocol", "http/protobuf")).ExporterEndpoint.ShouldBe(new Uri(expected));
        Resolve(("OTEL_EXPORTER_OTLP_ENDPOINT", baseUrl), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")).ExporterEndpoint.ShouldBe(new Uri(expected));
    }

    [Fact]
    public void TheTracesOnlyEndpointIsTakenAsItIs()
    {
        var settings = Resolve(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/custom"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));

        settings.ExporterEndpoint.ShouldBe(new Uri("http://collector:4318/custom"));
        settings.Protocol.ShouldBe(OtlpExportProtocol.HttpProtobuf);
    }

    [Fact]
    public void TelemetryKeysWinOverTheirOtelVariables()
    {
        var settings = Resolve(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4317"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
            ("OTEL_TRACES_SAMPLER_ARG", "0.5"),
            ("Telemetry:Otlp:Endpoint", "http://config:4318"),
            ("Telemetry:Otlp:Protocol", "http/protobuf"),
            ("Telemetry:Tracing:SampleRatio", "0.01"));

        settings.ExporterEndpoint.ShouldBe(new Uri("http://config:4318/v1/traces"));
        settings.Protocol.ShouldBe(OtlpExportProtocol.HttpProtobuf);
        settings.SampleRatio.ShouldBe(0.01);
    }

    [Fact]
    public void EnabledDecidesAgainstTheEndpoint()
    {
        Resolve(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("Telemetry:Tracing:Enabled", "false")).Enabled.ShouldBeFalse();
        Resolve(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("OTEL_SDK_DISABLED", "true")).Enabled.ShouldBeFalse();

        var recordedOnly = Resolve(("Telemetry:Tracing:Enabled", "true"));
        recordedOnly.Enabled.ShouldBeTrue();
        recordedOnly.ExporterEndpoint.ShouldBeNull();
        recordedOnly.Describe().ShouldContain("not exported");
    }

    [Fact]
    public void EmptyVariablesCountAsUnset()
    {
        // As compose passes them: OTEL_EXPORTER_OTLP_ENDPOINT: ${OTEL_EXPORTER_OTLP_ENDPOINT:-}
        var settings = Resolve(("OTEL_EXPORTER_OTLP_ENDPOINT", ""), ("OTEL_TRACES_SAMPLER_ARG", ""), ("OTEL_SERVICE_NAME", " "));

        settings.Enabled.ShouldBeFalse();
        settings.SampleRatio.ShouldBe(1.0);
        settings.ServiceName.ShouldBe("Fanout.Test");
    }

    [Fact]
    public void SamplingFollowsTheStandardVariablesUnlessSampleRatioIsSet()
    {
        Resolve(("OTEL_TRACES_SAMPLER_ARG", "0.25")).SampleRatio.ShouldBe(0.25);
        Resolve(("OTEL_TRACES_SAMPLER", "always_off"), ("OTEL_TRACES_SAMPLER_ARG", "0.25")).SampleRatio.ShouldBeNull("the SDK reads OTEL_TRACES_SAMPLER itself");
        Resolve(("OTEL_TRACES_SAMPLER", "always_off"), ("Telemetry:Tracing:SampleRatio", "0.5")).SampleRatio.ShouldBe(0.5);
        Should.Throw<InvalidOperationException>(() => Resolve(("OTEL_TRACES_SAMPLER_ARG", "lots"))).Message.ShouldContain("OTEL_TRACES_SAMPLER_ARG");
    }

    [Fact]
    public void InvalidValuesAreRefusedNamingTheSetting()
    {
        Should.Throw<InvalidOperationException>(() => Resolve(("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317"))).Message.ShouldContain("OTEL_EXPORTER_OTLP_ENDPOINT");
        Should.Throw<InvalidOperationException>(() => Resolve(("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"))).Message.ShouldContain("OTEL_EXPORTER_OTLP_PROTOCOL");

        var otlp = new OtlpOptions { Endpoint = "ftp://collector", Protocol = "udp" };
        var errors = new List<ValidationResult>();
        Validator.TryValidateObject(otlp, new ValidationContext(otlp), errors, validateAllProperties: true).ShouldBeFalse();
        errors.Select(e => e.ErrorMessage).ShouldBe(
            ["Telemetry:Otlp:Endpoint must be an absolute http or https URL, not 'ftp://collector'.", "Telemetry:Otlp:Protocol must be 'grpc' or 'http/protobuf', not 'udp'."]);
    }

    [Fact]
    public void TheServiceNameComesFromOtelServiceNameWhenSet()
    {
        Resolve(("OTEL_SERVICE_NAME", "fanout-eu-ingest")).ServiceName.ShouldBe("fanout-eu-ingest");
    }

    [Fact]
    public async Task TheTracerProviderListensToFanoutSourcesOnlyWhileTracingIsOnAndRunning()
    {
        using (var off = CreateHost())
        {
            await off.StartAsync();
            off.Services.GetRequiredService<TracingSettings>().Enabled.ShouldBeFalse();
            MessagingActivity.Source.HasListeners().ShouldBeFalse();
            await off.StopAsync();
        }

        var on = CreateHost(("Telemetry:Tracing:Enabled", "true"));
        await on.StartAsync();
        MessagingActivity.Source.HasListeners().ShouldBeTrue();
        using (var span = MessagingActivity.StartPublish(MessagingActivity.Source, MessagingActivity.PublishSubmit, "fanout.submit", "0"))
        {
            span.ShouldNotBeNull();
            span.Recorded.ShouldBeTrue();
        }

        await on.StopAsync();
        on.Dispose();
        MessagingActivity.Source.HasListeners().ShouldBeFalse();
    }

    [Fact]
    public void MetricsGoOverOtlpToTheSameEndpointWithTheirOwnPath()
    {
        Metrics(("Telemetry:Otlp:Endpoint", "http://collector:4318/"), ("Telemetry:Otlp:Protocol", "http/protobuf")).ShouldBe(new Uri("http://collector:4318/v1/metrics"));
        Metrics(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")).ShouldBe(new Uri("http://collector:4317"));
        Metrics(("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://collector:4318/m"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")).ShouldBe(new Uri("http://collector:4318/m"));
        Metrics(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("OTEL_SDK_DISABLED", "true")).ShouldBeNull();
        Metrics().ShouldBeNull();
    }

    private static Uri? Metrics(params (string Key, string Value)[] settings)
    {
        var configuration = Configuration(settings);
        var otlp = configuration.GetSection(OtlpOptions.SectionName).Get<OtlpOptions>() ?? new OtlpOptions();
        var protocol = Resolve(settings).Protocol;
        return TracingSettings.MetricsEndpoint(otlp, configuration, protocol);
    }

    private static IHost CreateHost(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "Fanout.Test", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddFanoutTelemetry();
        return builder.Build();
    }

    private static TracingSettings Resolve(params (string Key, string Value)[] settings)
    {
        var configuration = Configuration(settings);
        return TracingSettings.Resolve(
            configuration.GetSection(TracingOptions.SectionName).Get<TracingOptions>() ?? new TracingOptions(),
            configuration.GetSection(OtlpOptions.SectionName).Get<OtlpOptions>() ?? new OtlpOptions(),
            configuration,
            "Fanout.Test");
    }

    private static IConfigurationRoot Configuration((string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
