namespace Fanout.Contracts.Wire;

/// <summary>Answer to a batch publish or a broadcast: event ids in request order.</summary>
public sealed record EventIdsResponse(IReadOnlyList<string> Ids);
