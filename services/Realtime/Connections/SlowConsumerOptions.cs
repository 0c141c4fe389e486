using System.ComponentModel.DataAnnotations;

namespace Fanout.Realtime.Connections;

/// <summary>
/// The outgoing buffer of every connection (section <c>Realtime:SlowConsumer</c>). Messages to a connection wait in
/// its own queue while SignalR's transport is busy with earlier ones; a connection whose queue would pass either
/// bound cannot keep up and is disconnected with reason <see cref="ConnectionOutbox.SlowReason"/>. Memory per
/// connection stays under about <see cref="MaxBufferedBytes"/> plus SignalR's transport buffers (64 KiB each way)
/// plus the socket's kernel buffers.
/// </summary>
public sealed class SlowConsumerOptions
{
    public const string SectionName = "Realtime:SlowConsumer";

    /// <summary>
    /// Serialized bytes that may wait for one connection (queued, or being written). Default 8 MiB: room for a burst
    /// (a routed batch of 500 events arrives at once) while bounding what one stalled client can hold.
    /// </summary>
    [Range(64 * 1024, 1024L * 1024 * 1024)]
    public long MaxBufferedBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Messages that may wait for one connection. Default 10,000.</summary>
    [Range(16, 10_000_000)]
    public int MaxBufferedMessages { get; set; } = 10_000;

    /// <summary>
    /// Milliseconds one replayed event may wait for the client to take it (the replay of a <c>Subscribe</c> with
    /// <c>afterSeq</c> is written at the client's pace) before the connection is closed as slow. Default 10,000.
    /// </summary>
    [Range(100, 600_000)]
    public int WriteStallTimeoutMs { get; set; } = 10_000;

    /// <summary>
    /// Milliseconds a slow connection gets to take its close message (<c>{"type":7,"error":"slow","allowReconnect":true}</c>)
    /// before it is aborted without one. Default 2,000.
    /// </summary>
    [Range(0, 60_000)]
    public int CloseTimeoutMs { get; set; } = 2_000;
}
