namespace Fanout.Client;

/// <summary>
/// A position in a room's history: the last seq the application has seen and the epoch it belongs to. Give it to
/// <see cref="FanoutClient.SubscribeAsync(string, IRoomHandler, StreamPosition?, CancellationToken)"/> to resume from
/// there; take it from <see cref="FanoutSubscription.Position"/> to store it.
/// </summary>
public sealed record StreamPosition(long AfterSeq, string? Epoch);
