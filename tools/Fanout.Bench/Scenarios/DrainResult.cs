namespace Fanout.Bench.Scenarios;

/// <summary>How the wait for outstanding deliveries ended: after how long, and whether everything expected arrived.</summary>
public sealed record DrainResult(double Seconds, bool Complete);
