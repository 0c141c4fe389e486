namespace Fanout.Bench.Publishing;

/// <summary>One sent event.</summary>
public readonly record struct PublishRecord(double SentAtMs, byte Phase, PublishState State);
