namespace Fanout.Client;

/// <summary>The client is connected to the realtime node at <paramref name="HubUrl"/>; its rooms are being resubscribed.</summary>
public sealed record FanoutConnected(Uri HubUrl);
