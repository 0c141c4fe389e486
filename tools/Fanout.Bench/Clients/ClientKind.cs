namespace Fanout.Bench.Clients;

/// <summary>Which SignalR client the subscribers use (<c>--client</c>).</summary>
public enum ClientKind
{
    /// <summary><see cref="LeanHubConnection"/>: the JSON hub protocol read in place; the bench stays light at high delivery rates.</summary>
    Lean,

    /// <summary>The official .NET client (<c>HubConnection</c>), over Fanout.Client's WebSocket transport.</summary>
    Official,
}
