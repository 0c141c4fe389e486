namespace Fanout.Client;

/// <summary>The answer of the hub's <c>Publish(room, type, data)</c>: the id of the durably accepted event.</summary>
public sealed record PublishReply(string Id);
