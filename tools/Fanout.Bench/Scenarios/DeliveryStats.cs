namespace Fanout.Bench.Scenarios;

/// <summary>
/// Deliveries of a set of accepted events: expected = each event × the clients of its room; received = first copies;
/// duplicated = copies beyond the first.
/// </summary>
public sealed record DeliveryStats(long Published, long ExpectedDeliveries, long Received, long Duplicated)
{
    public long Lost => ExpectedDeliveries - Received;

    public double? LossPercent => ExpectedDeliveries > 0 ? Math.Round(100.0 * Lost / ExpectedDeliveries, 4) : null;
}
