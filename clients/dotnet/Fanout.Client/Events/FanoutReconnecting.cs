namespace Fanout.Client;

/// <summary>Connection attempt <paramref name="Attempt"/> (1, 2, …) to <paramref name="HubUrl"/> starts after <paramref name="Delay"/>.</summary>
public sealed record FanoutReconnecting(int Attempt, TimeSpan Delay, Uri HubUrl);
