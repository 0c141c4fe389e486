using System.Globalization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Auth;

/// <summary>
/// Closes a hub connection when its access token expires: the node sends a SignalR close message with the error
/// <see cref="CloseReason"/> and <c>allowReconnect: true</c>, so clients connect again with a fresh token, then aborts
/// the connection if the client has not closed it within <see cref="AbortGrace"/>. The deadline is the token's
/// <c>exp</c>; a token accepted after its <c>exp</c> (within the clock skew) gets until <c>exp</c> + skew.
/// </summary>
public sealed class TokenExpiryWatch(IOptions<JwtOptions> options, TimeProvider time, ILogger<TokenExpiryWatch> logger)
{
    /// <summary>The close message's error text, which clients match to reconnect at once.</summary>
    public const string CloseReason = "token expired";

    /// <summary>How long the client has to close after the close message before the node aborts the connection.</summary>
    public static readonly TimeSpan AbortGrace = TimeSpan.FromSeconds(5);

    private readonly JwtOptions _options = options.Value;

    /// <summary>Starts the watch of <paramref name="connection"/>; it ends by itself when the connection ends.</summary>
    public void Track(HubConnectionContext connection)
    {
        if (!_options.CloseOnExpiry ||
            connection.User.FindFirst("exp")?.Value is not { } exp ||
            !long.TryParse(exp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return;
        }

        var now = time.GetUtcNow();
        var deadline = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (deadline <= now)
        {
            deadline = deadline.AddSeconds(_options.ClockSkewSeconds);
        }

        var due = deadline - now;
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }

        var timer = time.CreateTimer(_ => _ = CloseAsync(connection), null, due, Timeout.InfiniteTimeSpan);
        connection.ConnectionAborted.Register(static state => ((ITimer)state!).Dispose(), timer);
    }

    private async Task CloseAsync(HubConnectionContext connection)
    {
        if (connection.ConnectionAborted.IsCancellationRequested)
        {
            return;
        }

        AuthLog.TokenExpiredClosing(logger, connection.ConnectionId, connection.UserIdentifier ?? "");
        try
        {
            await connection.WriteAsync(new CloseMessage(CloseReason, allowReconnect: true));
            await Task.Delay(AbortGrace, time, connection.ConnectionAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection ended meanwhile.
        }

        connection.Abort();
    }
}
