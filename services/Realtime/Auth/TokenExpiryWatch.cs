using System.Globalization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Auth;

/// <summary>
/// Closes a hub connection when its access token expires: the node sends a SignalR close message with the error
/// <see cref="CloseReason"/> and <c>allowReconnect: true</c>, so clients connect again with a fresh token, then aborts
/// the connection if the client has not closed it within <see cref="AbortGrace"/>. The deadline is the token's
/// <c>exp</c>; a token accepted after its <c>exp</c> (within the clock skew) gets until <c>exp</c> + skew. All
/// connections share one timer (<see cref="DeadlineQueue{T}"/>); a connection that ends leaves the queue at once.
/// </summary>
public sealed class TokenExpiryWatch : IDisposable
{
    /// <summary>The close message's error text, which clients match to reconnect at once.</summary>
    public const string CloseReason = "token expired";

    /// <summary>How long the client has to close after the close message before the node aborts the connection.</summary>
    public static readonly TimeSpan AbortGrace = TimeSpan.FromSeconds(5);

    private readonly JwtOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TokenExpiryWatch> _logger;
    private readonly DeadlineQueue<HubConnectionContext> _deadlines;

    public TokenExpiryWatch(IOptions<JwtOptions> options, TimeProvider time, ILogger<TokenExpiryWatch> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _deadlines = new DeadlineQueue<HubConnectionContext>(time, connection => _ = CloseAsync(connection));
    }

    /// <summary>Connections waiting for their token to expire.</summary>
    public int Watched => _deadlines.Count;

    /// <summary>Starts the watch of <paramref name="connection"/>; it ends by itself when the connection ends.</summary>
    public void Track(HubConnectionContext connection)
    {
        if (!_options.CloseOnExpiry ||
            connection.User.FindFirst(RealtimeAuthenticationDefaults.ExpiresClaim)?.Value is not { } exp ||
            !long.TryParse(exp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return;
        }

        var deadline = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (deadline <= _time.GetUtcNow())
        {
            deadline = deadline.AddSeconds(_options.ClockSkewSeconds);
        }

        var watch = _deadlines.Add(connection, deadline);
        connection.ConnectionAborted.Register(static state => ((IDisposable)state!).Dispose(), watch);
    }

    public void Dispose() => _deadlines.Dispose();

    private async Task CloseAsync(HubConnectionContext connection)
    {
        if (connection.ConnectionAborted.IsCancellationRequested)
        {
            return;
        }

        AuthLog.TokenExpiredClosing(_logger, connection.ConnectionId, connection.UserIdentifier ?? "");
        try
        {
            await connection.WriteAsync(new CloseMessage(CloseReason, allowReconnect: true));
            await Task.Delay(AbortGrace, _time, connection.ConnectionAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection ended meanwhile.
        }

        connection.Abort();
    }
}
