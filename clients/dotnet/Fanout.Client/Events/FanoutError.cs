namespace Fanout.Client;

/// <summary>
/// Something failed that the client handled by itself: a connection attempt, a refused resubscribe, or an application
/// handler that threw. <paramref name="Room"/> is set when it concerns one room; <paramref name="Context"/> says what
/// the client was doing.
/// </summary>
public sealed record FanoutError(Exception Exception, string Context, string? Room = null);
