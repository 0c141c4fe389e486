using System.Diagnostics;

namespace Fanout.Messaging.Tracing;

/// <summary>
/// Spans of the RabbitMQ data plane, named and tagged after the OpenTelemetry messaging conventions
/// (<c>publish fanout.submit</c>, <c>process fanout.rooms</c>, <c>messaging.system</c> = <c>rabbitmq</c> …) plus Fanout's
/// own attributes (<see cref="MessagingTags"/>). Each starts only when its source has a listener, so with tracing off a
/// call costs one check and returns null.
/// </summary>
public static class MessagingActivity
{
    /// <summary>The source of the submitter's spans (Ingest and the realtime nodes publish through it).</summary>
    public static readonly ActivitySource Source = new("Fanout.Messaging");

    public const string PublishSubmit = "publish " + BrokerNames.SubmitExchange;
    public const string ProcessSubmit = "process " + BrokerNames.SubmitExchange;
    public const string PublishRooms = "publish " + BrokerNames.RoomsExchange;
    public const string ProcessRooms = "process " + BrokerNames.RoomsExchange;

    /// <summary>
    /// A producer span <paramref name="name"/> for a message to <paramref name="exchange"/>: a child of
    /// <paramref name="parent"/>, or of the current activity when it is <c>default</c>.
    /// </summary>
    public static Activity? StartPublish(ActivitySource source, string name, string exchange, string routingKey,
        ActivityContext parent = default, IEnumerable<ActivityLink>? links = null)
    {
        if (!source.HasListeners())
        {
            return null;
        }

        var activity = source.StartActivity(name, ActivityKind.Producer, parent, tags: null, links);
        if (activity is { IsAllDataRequested: true })
        {
            SetMessagingTags(activity, "publish", "send", exchange, routingKey);
        }

        return activity;
    }

    /// <summary>
    /// A consumer span <paramref name="name"/> for a message taken from <paramref name="queue"/>: a child of the context
    /// the message carried (a new trace when it carried none), from <paramref name="startTime"/> when given (received
    /// earlier than processed).
    /// </summary>
    public static Activity? StartProcess(ActivitySource source, string name, string exchange, string routingKey, string queue,
        ActivityContext parent, DateTimeOffset startTime = default)
    {
        if (!source.HasListeners())
        {
            return null;
        }

        var activity = source.StartActivity(name, ActivityKind.Consumer, parent, tags: null, links: null, startTime);
        if (activity is { IsAllDataRequested: true })
        {
            SetMessagingTags(activity, "process", "process", exchange, routingKey);
            activity.SetTag(MessagingTags.Subscription, queue);
        }

        return activity;
    }

    /// <summary>
    /// Headers carrying the trace context of a message about to be published: that of <paramref name="span"/>, else of
    /// <paramref name="fallback"/>, else of the current activity (an unsampled parent has no span of its own but still
    /// carries its trace id on to the next process's logs). Null when tracing is off or there is no context.
    /// </summary>
    public static Dictionary<string, object?>? TraceHeaders(ActivitySource source, Activity? span, ActivityContext fallback = default)
    {
        if (!source.HasListeners())
        {
            return null;
        }

        var context = span?.Context ?? (fallback != default ? fallback : Activity.Current?.Context ?? default);
        if (context == default)
        {
            return null;
        }

        // Room for the publisher confirm sequence number RabbitMQ.Client adds on confirm channels.
        var headers = new Dictionary<string, object?>(3);
        AmqpTraceContext.Inject(context, headers);
        return headers;
    }

    /// <summary>Marks a span failed (status error, <c>error.type</c>).</summary>
    public static void Failed(Activity? activity, Exception exception) => Failed(activity, exception.GetType().FullName ?? "exception", exception.Message);

    /// <summary>Marks a span failed with <paramref name="errorType"/> and a description.</summary>
    public static void Failed(Activity? activity, string errorType, string description)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetStatus(ActivityStatusCode.Error, description);
            activity.SetTag("error.type", errorType);
        }
    }

    private static void SetMessagingTags(Activity activity, string operation, string operationType, string exchange, string routingKey)
    {
        activity.SetTag(MessagingTags.System, "rabbitmq");
        activity.SetTag(MessagingTags.OperationName, operation);
        activity.SetTag(MessagingTags.OperationType, operationType);
        activity.SetTag(MessagingTags.Destination, exchange);
        activity.SetTag(MessagingTags.RoutingKey, routingKey);
    }
}
