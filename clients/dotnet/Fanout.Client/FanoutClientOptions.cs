namespace Fanout.Client;

/// <summary>How a <see cref="FanoutClient"/> connects and reconnects.</summary>
public sealed class FanoutClientOptions
{
    /// <summary>The hub URL of one realtime node (<c>http(s)://host/hubs/rooms</c>); or use <see cref="HubUrls"/>.</summary>
    public Uri? HubUrl { get; set; }

    /// <summary>
    /// Several nodes to fail over between: the client starts with the first and moves to the next one after every lost
    /// connection and every failed attempt. When set, <see cref="HubUrl"/> is ignored.
    /// </summary>
    public IReadOnlyList<Uri> HubUrls { get; set; } = [];

    /// <summary>The access token (a JWT), asked on every connect and reconnect so it can be refreshed; null sends none.</summary>
    public Func<Task<string?>>? AccessTokenProvider { get; set; }

    /// <summary>
    /// Asked for a new access token only when a node closed the connection because its token expired (close reason
    /// <c>token expired</c>); the token it returns is sent on the connects after that (instead of asking
    /// <see cref="AccessTokenProvider"/>) until it expires in turn. Unset: <see cref="AccessTokenProvider"/> is asked
    /// on every connect, as always. A refresh that throws raises <c>Error</c>, and the connect goes on with the
    /// token it had.
    /// </summary>
    public Func<CancellationToken, Task<string?>>? RefreshToken { get; set; }

    /// <summary>The ceiling of the first reconnect delay; each failed attempt doubles it up to <see cref="ReconnectDelayMax"/>. Default 500 ms.</summary>
    public TimeSpan ReconnectDelayBase { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The largest reconnect delay ceiling. Default 15 s.</summary>
    public TimeSpan ReconnectDelayMax { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one connection attempt (WebSocket and SignalR handshake) may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The hub URLs to use, in order; throws when there are none or a setting is out of range.</summary>
    internal IReadOnlyList<Uri> Validate()
    {
        var urls = HubUrls.Count > 0 ? HubUrls : HubUrl is { } one ? [one] : [];
        if (urls.Count == 0)
        {
            throw new ArgumentException($"Set {nameof(HubUrl)} or {nameof(HubUrls)} (e.g. http://127.0.0.1:5070/hubs/rooms).");
        }

        if (urls.Any(url => url is null || !url.IsAbsoluteUri))
        {
            throw new ArgumentException($"Every hub URL must be absolute (http, https, ws or wss).");
        }

        if (ReconnectDelayBase <= TimeSpan.Zero || ReconnectDelayMax < ReconnectDelayBase)
        {
            throw new ArgumentException(
                $"{nameof(ReconnectDelayBase)} must be positive and {nameof(ReconnectDelayMax)} at least as large " +
                $"(got {ReconnectDelayBase} and {ReconnectDelayMax}).");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(ConnectTimeout)} must be positive (got {ConnectTimeout}).");
        }

        return urls.ToList();
    }
}
