using Fanout.Realtime.Metrics;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.Metrics;

public sealed class RoomBucketsTests
{
    [Fact]
    public void ConfiguredPatternsNameTheBucketAndTheFirstMatchWins()
    {
        var buckets = new RoomBuckets(Options.Create(new RealtimeMetricsOptions { RoomPatterns = ["chat:lobby", "chat:*", "game:*"] }));
        buckets.Of("chat:lobby").ShouldBe("chat:lobby");
        buckets.Of("chat:room-17").ShouldBe("chat:*");
        buckets.Of("game:42").ShouldBe("game:*");
        buckets.Of("cursor:doc-1").ShouldBe(RoomBuckets.Other);
    }

    [Fact]
    public void WithoutPatternsRoomsAreBucketedByPrefixUpToTheLimit()
    {
        var buckets = new RoomBuckets(Options.Create(new RealtimeMetricsOptions { MaxRoomPrefixes = 2 }));
        buckets.Of("chat:lobby").ShouldBe("chat:*");
        buckets.Of("lobby").ShouldBe("*");
        buckets.Of("game:1").ShouldBe(RoomBuckets.Other, "a third prefix is over the limit");
        buckets.Of("chat:other").ShouldBe("chat:*", "known prefixes keep their bucket");
    }
}
