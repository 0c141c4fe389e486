using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fanout.Contracts.Wire;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>
/// A stack of its own (Ingest, one sequencer, one node) exporting its traces over OTLP/HTTP to a receiver in the test,
/// with the event path's Debug lines on.
/// </summary>
public sealed class TracingStackFixture : IAsyncLifetime
{
    public OtlpReceiver Receiver { get; private set; } = null!;

    public FanoutStack Stack { get; private set; } = null!;

    public IngestClient Ingest { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await OtlpReceiver.StartAsync();
        Stack = await FanoutStack.StartAsync(new StackOptions
        {
            Sequencers = 1,
            RealtimeNodes = 1,
            Presence = false,
            Settings = new Dictionary<string, string>
            {
                ["Telemetry:Otlp:Endpoint"] = Receiver.Endpoint,
                ["Telemetry:Otlp:Protocol"] = "http/protobuf",
                // Export every 200 ms (the default is 5 s), metrics every second (the default is 60 s).
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                // The receiver shares the test process with the load tests running beside this class: an export it
                // answers late is waited for (the default gives up after 10 s and drops the batch) and one that fails
                // is sent again. A span sent twice keeps its id: WaitForSpansAsync counts spans by id.
                ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "60000",
                ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
                // The event path's Debug lines: event ids, room, seq.
                ["Logging:LogLevel:Fanout"] = "Debug",
            },
        });
        Ingest = new IngestClient(Stack.CreateIngestClient());
    }

    public async Task DisposeAsync()
    {
        Ingest.Dispose();
        await Stack.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>
/// Traces cross the processes: an HTTP publish, its message to the sequencer, the sequencer's processing and routing,
/// and the node's receipt are one trace, each span the child of the one before (W3C trace context in the HTTP and AMQP
/// headers); log lines written on the way carry its trace id; an unsampled trace is not exported but its id still
/// reaches every process's logs.
/// </summary>
public sealed class TracingTests(TracingStackFixture fixture) : IClassFixture<TracingStackFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly SpanShape IngestRequest = new("Fanout.Ingest", ReceivedSpan.KindServer, null);
    private static readonly SpanShape IngestSubmit = new("Fanout.Ingest", ReceivedSpan.KindProducer, "publish fanout.submit");
    private static readonly SpanShape HubSubmit = new("Fanout.Realtime", ReceivedSpan.KindProducer, "publish fanout.submit");
    private static readonly SpanShape SequencerProcess = new("Fanout.Sequencer", ReceivedSpan.KindConsumer, "process fanout.submit");
    private static readonly SpanShape SequencerRoute = new("Fanout.Sequencer", ReceivedSpan.KindProducer, "publish fanout.rooms");
    private static readonly SpanShape NodeProcess = new("Fanout.Realtime", ReceivedSpan.KindConsumer, "process fanout.rooms");

    [Fact]
    public async Task OnePublishIsOneTraceFromTheHttpRequestThroughTheSequencerToTheNode()
    {
        var room = $"trace:{Guid.NewGuid():N}"[..24];
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        await client.SubscribeAsync(room);

        var (traceId, callerSpanId) = NewTraceParent();
        var eventId = await PublishAsync(room, traceId, callerSpanId, sampled: true);
        await client.WaitForAsync(room, 1);

        var spans = await WaitForSpansAsync(traceId, IngestRequest, IngestSubmit, SequencerProcess, SequencerRoute, NodeProcess);
        var (http, submit, process, route, deliver) = (spans[0], spans[1], spans[2], spans[3], spans[4]);

        http.ParentSpanId.ShouldBe(callerSpanId, "the request continues the caller's trace");
        submit.ParentSpanId.ShouldBe(http.SpanId, $"{submit} is a child of {http}");
        process.ParentSpanId.ShouldBe(submit.SpanId, $"{process} is a child of {submit} (traceparent in the AMQP headers)");
        route.ParentSpanId.ShouldBe(process.SpanId, $"{route} is a child of {process}");
        deliver.ParentSpanId.ShouldBe(route.SpanId, $"{deliver} is a child of {route} (traceparent in the AMQP headers)");

        http.Name.ShouldBe("POST /v1/rooms/{room}/events");
        http.Attribute("http.route").ShouldBe("/v1/rooms/{room}/events");
        http.Attribute("http.response.status_code").ShouldBe("202");
        foreach (var span in new[] { submit, process, route, deliver })
        {
            span.Attribute("messaging.system").ShouldBe("rabbitmq", span.ToString());
            span.Attribute("fanout.room").ShouldBe(room, span.ToString());
        }

        submit.Scope.ShouldBe("Fanout.Messaging");
        submit.Attribute("messaging.destination.name").ShouldBe("fanout.submit");
        submit.Attribute("fanout.event.id").ShouldBe(eventId);
        process.Scope.ShouldBe("Fanout.Sequencer");
        process.Attribute("fanout.event.id").ShouldBe(eventId);
        process.Attribute("fanout.seq.first").ShouldBe("1");
        route.Scope.ShouldBe("Fanout.Sequencer");
        route.Attribute("messaging.destination.name").ShouldBe("fanout.rooms");
        route.Attribute("messaging.rabbitmq.destination.routing_key").ShouldBe(room);
        (route.Attribute("fanout.seq.first"), route.Attribute("fanout.seq.last"), route.Attribute("fanout.event.count")).ShouldBe(("1", "1", "1"));
        var nodeId = $"{fixture.Stack.Vhost.Name}-node-1";
        deliver.Scope.ShouldBe("Fanout.Realtime");
        deliver.Attribute("fanout.node.id").ShouldBe(nodeId);
        deliver.Attribute("messaging.destination.subscription.name").ShouldBe($"fanout.node.{nodeId}");
        deliver.Attribute("fanout.seq.last").ShouldBe("1");

        // The log lines about the event, in three processes, carry the trace id and the span they were written in.
        await WaitForLogLineAsync(fixture.Stack.Ingest, 4004, room, traceId, http.SpanId);
        await WaitForLogLineAsync(fixture.Stack.Sequencers[0], 3021, room, traceId, route.SpanId);
        await WaitForLogLineAsync(fixture.Stack.Nodes[0], 5008, room, traceId, deliver.SpanId);
    }

    [Fact]
    public async Task WithAnOtlpEndpointEveryServiceAlsoExportsItsMetrics()
    {
        var room = $"trace:{Guid.NewGuid():N}"[..24];
        var (traceId, callerSpanId) = NewTraceParent();
        await PublishAsync(room, traceId, callerSpanId, sampled: true);

        // A Fanout instrument of each process, after its service name (resource) in one export request.
        foreach (var (service, instrument) in new[]
        {
            ("Fanout.Ingest", "fanout.ingest.events.accepted"), ("Fanout.Sequencer", "fanout.sequencer.events.persisted"),
            ("Fanout.Realtime", "fanout.realtime.connections"),
        })
        {
            await Eventually.HoldsAsync(
                () => fixture.Receiver.MetricsExports.Any(e => e.Contains(service, StringComparison.Ordinal) && e.Contains(instrument, StringComparison.Ordinal)),
                $"{service} exported {instrument} over OTLP");
        }
    }

    [Fact]
    public async Task HealthAndMetricsRequestsAreNotRecorded()
    {
        var (traceId, callerSpanId) = NewTraceParent();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/health/ready"))
        {
            request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-01");
            (await fixture.Ingest.Http.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // A later publish's request span arriving means the health request's would have too.
        var room = $"trace:{Guid.NewGuid():N}"[..24];
        var (published, publishedCaller) = NewTraceParent();
        await PublishAsync(room, published, publishedCaller, sampled: true);
        await WaitForSpansAsync(published, IngestRequest);
        fixture.Receiver.SpansOf(traceId).ShouldBeEmpty();
    }

    [Fact]
    public async Task AHubPublishStartsATraceOfItsOwnThroughTheSequencerBackToTheNode()
    {
        var room = $"trace:{Guid.NewGuid():N}"[..24];
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        await client.SubscribeAsync(room);
        var published = await client.PublishAsync(room, "note", new { via = "hub" });
        await client.WaitForAsync(room, 1);

        ReceivedSpan? submit = null;
        await Eventually.HoldsAsync(
            () => (submit = fixture.Receiver.Spans.SingleOrDefault(s => HubSubmit.Matches(s) && s.Attribute("fanout.event.id") == published.Id)) is not null,
            "the node's publish span of the hub event is exported");
        // A root: not a child of the WebSocket request, which lasts as long as the connection.
        submit!.ParentSpanId.ShouldBeEmpty();

        var chain = await WaitForSpansAsync(submit.TraceId, HubSubmit, SequencerProcess, SequencerRoute, NodeProcess);
        chain[0].SpanId.ShouldBe(submit.SpanId);
        chain[1].ParentSpanId.ShouldBe(chain[0].SpanId);
        chain[2].ParentSpanId.ShouldBe(chain[1].SpanId);
        chain[3].ParentSpanId.ShouldBe(chain[2].SpanId);
    }

    [Fact]
    public async Task AnUnsampledPublishExportsNoSpanButItsTraceIdStillReachesEveryProcessLog()
    {
        var room = $"trace:{Guid.NewGuid():N}"[..24];
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        await client.SubscribeAsync(room);

        var (unsampled, unsampledCaller) = NewTraceParent();
        await PublishAsync(room, unsampled, unsampledCaller, sampled: false);
        var (sampled, sampledCaller) = NewTraceParent();
        await PublishAsync(room, sampled, sampledCaller, sampled: true);
        await client.WaitForAsync(room, 2);

        // Each process exports its spans in the order they end, and the unsampled event went first everywhere: once the
        // second event's whole trace is in, the first one's would be too, had anything of it been recorded.
        await WaitForSpansAsync(sampled, IngestRequest, IngestSubmit, SequencerProcess, SequencerRoute, NodeProcess);
        fixture.Receiver.SpansOf(unsampled).ShouldBeEmpty();

        await WaitForLogLineAsync(fixture.Stack.Ingest, 4004, room, unsampled);
        await WaitForLogLineAsync(fixture.Stack.Sequencers[0], 3021, room, unsampled);
        await WaitForLogLineAsync(fixture.Stack.Nodes[0], 5008, room, unsampled);
    }

    private static (string TraceId, string SpanId) NewTraceParent() =>
        (ActivityTraceId.CreateRandom().ToHexString(), ActivitySpanId.CreateRandom().ToHexString());

    /// <summary>Publishes over HTTP as a caller inside trace <paramref name="traceId"/>; returns the event id.</summary>
    private async Task<string> PublishAsync(string room, string traceId, string callerSpanId, bool sampled)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/rooms/{Uri.EscapeDataString(room)}/events")
        {
            Content = JsonContent.Create(new { type = "note", data = new { traced = sampled } }, options: Json),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-{(sampled ? "01" : "00")}");
        using var response = await fixture.Ingest.Http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PublishEventResponse>(Json))!.Id;
    }

    /// <summary>
    /// Waits until the receiver has exactly one span (by span id: an export sent again repeats its spans) of each shape in
    /// trace <paramref name="traceId"/>; returns them in that order. On timeout it says what had arrived by then.
    /// </summary>
    private async Task<ReceivedSpan[]> WaitForSpansAsync(string traceId, params SpanShape[] shapes)
    {
        ReceivedSpan?[] found = [];
        try
        {
            await Eventually.HoldsAsync(
                () =>
                {
                    var spans = fixture.Receiver.SpansOf(traceId);
                    found = [.. shapes.Select(shape => spans.Where(shape.Matches).DistinctBy(s => s.SpanId).Take(2).ToList() is [var one] ? one : null)];
                    return found.All(s => s is not null);
                },
                $"the receiver has one each of {string.Join(", ", shapes)} in trace {traceId}",
                SpanArrival);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message} (got: {string.Join("; ", fixture.Receiver.SpansOf(traceId))}; " +
                $"{fixture.Receiver.Requests} export requests in all)", timeout);
        }

        return found!;
    }

    /// <summary>How long a span may take to reach the receiver: an export waits up to 60 s for it (the fixture).</summary>
    private static readonly TimeSpan SpanArrival = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Waits until the service logged event <paramref name="eventId"/> about <paramref name="room"/> inside trace
    /// <paramref name="traceId"/> (and span <paramref name="spanId"/> when given), as its JSON scope says.
    /// </summary>
    private static Task WaitForLogLineAsync(ServiceProcess service, int eventId, string room, string traceId, string? spanId = null) =>
        Eventually.HoldsAsync(
            () => ServiceLog.Lines(service).Any(line => IsLine(line, eventId, room, traceId, spanId)),
            $"{service.Name} logged event {eventId} for {room} with TraceId {traceId}{(spanId is null ? "" : $" and SpanId {spanId}")} (log: {service.LogPath})",
            TimeSpan.FromSeconds(15));

    private static bool IsLine(string line, int eventId, string room, string traceId, string? spanId)
    {
        if (!line.StartsWith('{') || !line.Contains(room, StringComparison.Ordinal))
        {
            return false;
        }

        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        if (root.GetProperty("EventId").GetInt32() != eventId || root.GetProperty("State").GetProperty("RoomId").GetString() != room)
        {
            return false;
        }

        return root.GetProperty("Scopes").EnumerateArray().Any(scope =>
            scope.TryGetProperty("TraceId", out var trace) && trace.GetString() == traceId
            && (spanId is null || (scope.TryGetProperty("SpanId", out var span) && span.GetString() == spanId)));
    }

    /// <summary>Which span: the service that exported it, its kind and (unless null) its name.</summary>
    private sealed record SpanShape(string Service, int Kind, string? Name)
    {
        public bool Matches(ReceivedSpan span) => span.ServiceName == Service && span.Kind == Kind && (Name is null || span.Name == Name);

        public override string ToString() => $"{Service} {Name ?? $"kind {Kind}"}";
    }
}
