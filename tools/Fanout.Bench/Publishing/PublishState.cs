namespace Fanout.Bench.Publishing;

/// <summary>What became of a sent event.</summary>
public enum PublishState : byte
{
    Pending,
    Accepted,
    Failed,
}
