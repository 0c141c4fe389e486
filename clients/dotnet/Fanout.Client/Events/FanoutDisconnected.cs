namespace Fanout.Client;

/// <summary>
/// The connection to <paramref name="HubUrl"/> ended (<paramref name="Error"/> is null when the server closed it
/// cleanly). Unless the client is being disposed, <see cref="FanoutClient.Reconnecting"/> follows.
/// </summary>
public sealed record FanoutDisconnected(Uri HubUrl, Exception? Error);
