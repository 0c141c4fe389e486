namespace Fanout.Contracts.Wire;

/// <summary><c>GET /v1/nodes</c>: the realtime nodes whose heartbeat has not lapsed.</summary>
public sealed record NodesResponse(IReadOnlyList<NodeResponse> Nodes);
