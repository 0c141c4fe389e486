namespace Fanout.Contracts.Wire;

/// <summary>Answer to a single publish: the event id and its room.</summary>
public sealed record PublishEventResponse(string Id, string Room);
