namespace Fanout.Bench.Clients;

/// <summary>How connecting and subscribing every client went.</summary>
public sealed record ConnectSummary(int Ok, int Failed, double Seconds, IReadOnlyDictionary<string, int> Errors);
