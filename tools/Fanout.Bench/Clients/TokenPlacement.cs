namespace Fanout.Bench.Clients;

/// <summary>Where a subscriber sends its access token on the WebSocket upgrade (<c>--token-in</c>).</summary>
public enum TokenPlacement
{
    /// <summary><c>Authorization: Bearer</c>: what a non-browser client does (Fanout's .NET client).</summary>
    Header,

    /// <summary>The <c>access_token</c> query parameter: what a browser must do (no headers on a WebSocket).</summary>
    Query,
}
