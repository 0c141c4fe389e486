namespace Fanout.Realtime.Options;

/// <summary>
/// Cross-origin access for browser clients (section <c>Realtime:Cors</c>). Off by default: no CORS headers at all.
/// With origins listed, those origins may negotiate and connect with credentials (as SignalR's JavaScript client does).
/// </summary>
public sealed class RealtimeCorsOptions
{
    public const string SectionName = "Realtime:Cors";

    /// <summary>The name of the CORS policy applied to the hub.</summary>
    public const string PolicyName = "RealtimeClients";

    /// <summary>Origins allowed, exact (<c>https://app.example.com</c>), <c>Realtime:Cors:AllowedOrigins:{i}</c>. Empty: CORS off.</summary>
    public List<string> AllowedOrigins { get; set; } = [];
}
