using System.Diagnostics;
using System.Text;

namespace Fanout.Messaging.Tracing;

/// <summary>
/// W3C Trace Context (<c>traceparent</c>, <c>tracestate</c>) in AMQP message headers, so that a trace continues from
/// the publisher to the consumer of a message. Written as strings; RabbitMQ hands them to consumers as UTF-8 bytes,
/// and both are read.
/// </summary>
public static class AmqpTraceContext
{
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    /// <summary>Writes <paramref name="context"/> into <paramref name="headers"/>; nothing for an empty context.</summary>
    public static void Inject(in ActivityContext context, IDictionary<string, object?> headers)
    {
        if (context.TraceId == default || context.SpanId == default)
        {
            return;
        }

        headers[TraceParentHeader] = FormatTraceParent(context);
        if (!string.IsNullOrEmpty(context.TraceState))
        {
            headers[TraceStateHeader] = context.TraceState;
        }
    }

    /// <summary>The remote context a message carries; <c>default</c> when it carries none or an invalid one.</summary>
    public static ActivityContext Extract(IDictionary<string, object?>? headers)
    {
        if (headers is null || !headers.TryGetValue(TraceParentHeader, out var traceParent) || AsString(traceParent) is not { } parent)
        {
            return default;
        }

        var state = headers.TryGetValue(TraceStateHeader, out var traceState) ? AsString(traceState) : null;
        return ActivityContext.TryParse(parent, state, isRemote: true, out var context) ? context : default;
    }

    /// <summary><c>00-{trace id}-{span id}-{flags}</c> (version 00 of the W3C format).</summary>
    public static string FormatTraceParent(in ActivityContext context) =>
        string.Create(55, context, static (chars, c) =>
        {
            "00-".CopyTo(chars);
            c.TraceId.ToHexString().CopyTo(chars.Slice(3, 32));
            chars[35] = '-';
            c.SpanId.ToHexString().CopyTo(chars.Slice(36, 16));
            chars[52] = '-';
            chars[53] = '0';
            chars[54] = (c.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? '1' : '0';
        });

    private static string? AsString(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        _ => null,
    };
}
