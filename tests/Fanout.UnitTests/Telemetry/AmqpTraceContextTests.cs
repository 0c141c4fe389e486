using System.Diagnostics;
using System.Text;
using Fanout.Messaging.Tracing;

namespace Fanout.UnitTests.Telemetry;

/// <summary>W3C trace context through AMQP headers: what the publisher writes is what the consumer reads back.</summary>
public sealed class AmqpTraceContextTests : IDisposable
{
    private readonly ActivitySource _publisher = new($"Fanout.UnitTests.Publisher.{Guid.NewGuid():N}");
    private readonly ActivitySource _consumer = new($"Fanout.UnitTests.Consumer.{Guid.NewGuid():N}");
    private readonly ActivityListener _listener;

    public AmqpTraceContextTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source == _publisher || source == _consumer,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent == default || options.Parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)
                    ? ActivitySamplingResult.AllDataAndRecorded
                    : ActivitySamplingResult.PropagationData,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _publisher.Dispose();
        _consumer.Dispose();
    }

    [Theory]
    [InlineData(ActivityTraceFlags.Recorded, "vendor=opaque,other=1")]
    [InlineData(ActivityTraceFlags.None, null)]
    public void AContextInjectedIntoHeadersIsExtractedFromTheDeliveredMessage(ActivityTraceFlags flags, string? traceState)
    {
        var sent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), flags, traceState);
        var headers = new Dictionary<string, object?>();

        AmqpTraceContext.Inject(sent, headers);
        var received = AmqpTraceContext.Extract(AsDelivered(headers));

        received.TraceId.ShouldBe(sent.TraceId);
        received.SpanId.ShouldBe(sent.SpanId);
        received.TraceFlags.ShouldBe(flags);
        received.TraceState.ShouldBe(traceState);
        received.IsRemote.ShouldBeTrue();
        headers.ContainsKey(AmqpTraceContext.TraceStateHeader).ShouldBe(traceState is not null);
    }

    [Fact]
    public void TheTraceParentHeaderIsTheW3CFormat()
    {
        var context = new ActivityContext(
            ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c"), ActivitySpanId.CreateFromString("b7ad6b7169203331"), ActivityTraceFlags.Recorded);
        var headers = new Dictionary<string, object?>();

        AmqpTraceContext.Inject(context, headers);

        headers[AmqpTraceContext.TraceParentHeader].ShouldBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        AmqpTraceContext.FormatTraceParent(new ActivityContext(context.TraceId, context.SpanId, ActivityTraceFlags.None)).ShouldEndWith("-00");
    }

    [Fact]
    public void AMessageWithoutAValidTraceParentHasNoContext()
    {
        AmqpTraceContext.Extract(null).ShouldBe(default);
        AmqpTraceContext.Extract(new Dictionary<string, object?>()).ShouldBe(default);
        AmqpTraceContext.Extract(new Dictionary<string, object?> { ["traceparent"] = "garbage"u8.ToArray() }).ShouldBe(default);
        AmqpTraceContext.Extract(new Dictionary<string, object?> { ["traceparent"] = "00-00000000000000000000000000000000-b7ad6b7169203331-01" }).ShouldBe(default);
        AmqpTraceContext.Extract(new Dictionary<string, object?> { ["traceparent"] = 42L }).ShouldBe(default);

        var empty = new Dictionary<string, object?>();
        AmqpTraceContext.Inject(default, empty);
        empty.ShouldBeEmpty();
    }

    [Fact]
    public void AConsumerSpanStartedFromTheHeadersIsAChildOfThePublishSpan()
    {
        using var publish = MessagingActivity.StartPublish(_publisher, MessagingActivity.PublishSubmit, "fanout.submit", "3");
        publish.ShouldNotBeNull();
        var headers = MessagingActivity.TraceHeaders(_publisher, publish);
        publish.Stop();

        using var process = MessagingActivity.StartProcess(_consumer, MessagingActivity.ProcessSubmit, "fanout.submit", "3", "fanout.submit.3",
            AmqpTraceContext.Extract(AsDelivered(headers!)));

        process.ShouldNotBeNull();
        process.TraceId.ShouldBe(publish.TraceId);
        process.ParentSpanId.ShouldBe(publish.SpanId);
        process.HasRemoteParent.ShouldBeTrue();
        process.Kind.ShouldBe(ActivityKind.Consumer);
        process.GetTagItem(MessagingTags.System).ShouldBe("rabbitmq");
        process.GetTagItem(MessagingTags.Subscription).ShouldBe("fanout.submit.3");
        publish.Kind.ShouldBe(ActivityKind.Producer);
        publish.GetTagItem(MessagingTags.Destination).ShouldBe("fanout.submit");
    }

    [Fact]
    public void WithoutAPublishSpanTheHeadersCarryTheCurrentActivityAndWithoutAListenerNothing()
    {
        using var current = _consumer.StartActivity("request");
        current.ShouldNotBeNull();

        var headers = MessagingActivity.TraceHeaders(_publisher, span: null);
        AmqpTraceContext.Extract(AsDelivered(headers!)).SpanId.ShouldBe(current.SpanId);

        using var unheard = new ActivitySource("Fanout.UnitTests.Unheard");
        MessagingActivity.StartPublish(unheard, MessagingActivity.PublishRooms, "fanout.rooms", "room").ShouldBeNull();
        MessagingActivity.TraceHeaders(unheard, span: null).ShouldBeNull();
    }

    /// <summary>What a consumer gets: RabbitMQ delivers string header values as UTF-8 bytes.</summary>
    private static Dictionary<string, object?> AsDelivered(Dictionary<string, object?> headers) =>
        headers.ToDictionary(h => h.Key, h => h.Value is string text ? (object?)Encoding.UTF8.GetBytes(text) : h.Value);
}
