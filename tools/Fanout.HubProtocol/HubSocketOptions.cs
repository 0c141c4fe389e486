namespace Fanout.HubProtocol;

/// <summary>How <see cref="HubSocket.ConnectAsync"/> opens its WebSocket.</summary>
public sealed class HubSocketOptions
{
    /// <summary>Sent as <c>Authorization: Bearer</c> on the upgrade request when set (a browser puts it in the URL instead).</summary>
    public string? BearerToken { get; init; }

    /// <summary>Opens the connection when set (e.g. a handler with its own <c>ConnectCallback</c>: a small receive buffer, a source address).</summary>
    public HttpMessageInvoker? Invoker { get; init; }

    /// <summary>What the buffer of received bytes starts at; it grows for a larger message. Bytes.</summary>
    public int ReceiveBufferSize { get; init; } = 16 * 1024;
}
