using Fanout.Realtime.Memory;

namespace Fanout.UnitTests.Realtime;

public sealed class MemoryTrimPolicyTests
{
    [Fact]
    public void TrimsOnceTheCountStayedDownByTheMinimumThenStartsOverFromThere()
    {
        var policy = new MemoryTrimPolicy(minClosedConnections: 1_000);

        policy.ShouldTrim(10_000).ShouldBeFalse();
        policy.ShouldTrim(9_500).ShouldBeFalse(); // 500 gone: not enough
        policy.ShouldTrim(0).ShouldBeTrue();
        policy.ShouldTrim(0).ShouldBeFalse(); // already trimmed at 0
        policy.ShouldTrim(900).ShouldBeFalse();
        policy.ShouldTrim(0).ShouldBeFalse(); // 900 gone: under the minimum
    }

    [Fact]
    public void ACountThatRoseAgainSinceTheLastCheckWaits()
    {
        var policy = new MemoryTrimPolicy(minClosedConnections: 1_000);

        policy.ShouldTrim(5_000).ShouldBeFalse();
        policy.ShouldTrim(5_000).ShouldBeFalse();
        policy.ShouldTrim(3_000).ShouldBeTrue();
        policy.ShouldTrim(6_000).ShouldBeFalse();
        policy.ShouldTrim(1_000).ShouldBeTrue();
    }

    [Fact]
    public void AReconnectStormThatRefillsTheNodeIsNotTrimmed()
    {
        var policy = new MemoryTrimPolicy(minClosedConnections: 1_000);

        policy.ShouldTrim(4_000).ShouldBeFalse();
        policy.ShouldTrim(4_000).ShouldBeFalse(); // dropped and came back between two checks
        policy.ShouldTrim(4_100).ShouldBeFalse();
    }
}
