using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Hubs;

/// <summary>
/// Every error a hub call can get, as a <see cref="HubException"/> whose message starts with a stable numeric code and,
/// when retrying the same call later can succeed, the word <c>temporary</c>: <c>107: Subscribe: afterSeq must be 0 or
/// greater</c>, <c>111 temporary: Publish: rate limit exceeded; retry in 120 ms</c>. Clients match the code, never the
/// text after it (docs/protocol.md, "Hub errors"). The codes follow Centrifugo's where one means the same. A refused call
/// changes nothing on the node.
/// </summary>
public static class HubErrors
{
    /// <summary>Something failed on the node; retry.</summary>
    public const int Internal = 100;

    /// <summary>The connection's token does not allow this room and action.</summary>
    public const int PermissionDenied = 103;

    /// <summary>A limit that waiting does not lift (subscriptions per connection, connections per user or per node).</summary>
    public const int LimitExceeded = 106;

    /// <summary>An argument is missing, of the wrong type, or out of range; the method does not exist.</summary>
    public const int BadRequest = 107;

    /// <summary>A server the call needs (broker, history, presence store) is unavailable; retry shortly.</summary>
    public const int Unavailable = 108;

    /// <summary>A rate limit; retry after the time the message names.</summary>
    public const int TooManyRequests = 111;

    /// <summary><c>afterSeq</c> is beyond the room's last seq: the client's position is not one the room had.</summary>
    public const int PositionBeyondRoom = 112;

    /// <summary>The call needs a subscription to the room (presence).</summary>
    public const int NotSubscribed = 113;

    /// <summary>The connection is closing (disconnected, drained or closed as slow) while the call ran; reconnect.</summary>
    public const int Closing = 114;

    public static HubException Create(int code, string message) => new($"{code}{(IsTemporary(code) ? " temporary" : "")}: {message}");

    /// <summary>True for the codes where the same call can succeed later.</summary>
    public static bool IsTemporary(int code) => code is Internal or Unavailable or TooManyRequests or Closing;
}
