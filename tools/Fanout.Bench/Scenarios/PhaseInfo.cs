namespace Fanout.Bench.Scenarios;

/// <summary>A phase as shown: name, target rate (events/s), planned length (s; 0 when open-ended), start (bench clock ms).</summary>
public sealed record PhaseInfo(string Name, double TargetRate, double Seconds, double StartMs);
