namespace Fanout.Contracts.Wire;

/// <summary>Result of the hub's <c>Publish</c>: the accepted event's id.</summary>
public sealed record PublishResult(string Id);
