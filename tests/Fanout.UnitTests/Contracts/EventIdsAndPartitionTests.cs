using Fanout.Contracts;

namespace Fanout.UnitTests.Contracts;

public sealed class EventIdsAndPartitionTests
{
    [Fact]
    public void TheSameRoomAndKeyAlwaysGiveTheSameId() =>
        EventIds.FromIdempotencyKey("chat:lobby", "order-1").ShouldBe(EventIds.FromIdempotencyKey("chat:lobby", "order-1"));

    [Fact]
    public void IdempotencyIsScopedToTheRoom() =>
        EventIds.FromIdempotencyKey("chat:a", "k").ShouldNotBe(EventIds.FromIdempotencyKey("chat:b", "k"));

    [Fact]
    public void RoomAndKeyCannotBeConfusedAcrossTheBoundary() =>
        // The separator (a line feed) can be in neither a valid room id nor a valid key.
        EventIds.FromIdempotencyKey("chat", "x:y").ShouldNotBe(EventIds.FromIdempotencyKey("chat:x", "y"));

    [Fact]
    public void DerivedIdsAreVersion8Uuids() =>
        EventIds.FromIdempotencyKey("r", "k").Version.ShouldBe(8);

    [Fact]
    public void FreshIdsAreUniqueAndTimeOrdered()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => EventIds.New()).ToList();
        ids.Distinct().Count().ShouldBe(1000);
        ids.ShouldAllBe(id => id.Version == 7);
    }

    [Fact]
    public void PartitionsAreStableAndInRange()
    {
        RoomPartitioner.PartitionOf("chat:lobby", 16).ShouldBe(RoomPartitioner.PartitionOf("chat:lobby", 16));
        RoomPartitioner.PartitionOf("anything", 1).ShouldBe(0);
        Enumerable.Range(0, 2000).Select(i => RoomPartitioner.PartitionOf($"room:{i}", 16)).ShouldAllBe(p => p >= 0 && p < 16);
    }

    [Fact]
    public void RoomsSpreadOverAllPartitions()
    {
        var used = Enumerable.Range(0, 500).Select(i => RoomPartitioner.PartitionOf($"room:{i}", 16)).Distinct().Count();
        used.ShouldBe(16);
    }

    [Fact]
    public void ThePartitionFunctionNeverChanges()
    {
        // Fixed values of FNV-1a: a changed function would move live rooms to other partitions.
        RoomPartitioner.PartitionOf("chat:lobby", 16).ShouldBe(9);
        RoomPartitioner.PartitionOf("user:42", 16).ShouldBe(2);
    }
}
