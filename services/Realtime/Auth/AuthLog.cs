namespace Fanout.Realtime.Auth;

/// <summary>Client authentication log messages (event ids 4100–4119).</summary>
public static partial class AuthLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Access token from {RemoteAddress} refused: {Reason}")]
    public static partial void TokenRefused(ILogger logger, string remoteAddress, string reason);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Closing connection {ConnectionId} of user {UserId}: its access token expired")]
    public static partial void TokenExpiredClosing(ILogger logger, string connectionId, string userId);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning,
        Message = "Client tokens are verified with public keys (Auth:Jwt:PublicKeys or :JwksUrl) but neither Auth:Jwt:Issuer nor Auth:Jwt:Audience is set: any token those keys signed, for any application, is accepted; set one or both")]
    public static partial void TokensUnscoped(ILogger logger);
}
