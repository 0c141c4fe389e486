using Fanout.Client;

namespace Fanout.UnitTests.Client;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(0, 500)]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(4, 8000)]
    [InlineData(5, 15000)]
    [InlineData(40, 15000)]
    [InlineData(int.MaxValue, 15000)]
    public void TheCeilingDoublesPerAttemptUpToTheMaximum(int attempt, int expectedMs) =>
        new ReconnectBackoff(Base, Max).Ceiling(attempt).ShouldBe(TimeSpan.FromMilliseconds(expectedMs));

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.999999)]
    public void EveryDelayIsBetweenHalfTheCeilingAndTheCeiling(double random)
    {
        var backoff = new ReconnectBackoff(Base, Max, () => random);
        for (var attempt = 0; attempt < 12; attempt++)
        {
            var delay = backoff.Delay(attempt);
            delay.ShouldBeGreaterThanOrEqualTo(backoff.Ceiling(attempt) / 2);
            delay.ShouldBeLessThanOrEqualTo(backoff.Ceiling(attempt));
        }
    }

    [Fact]
    public void TheFirstDelayIsNeverZeroSoDroppedClientsDoNotComeBackAtOnce() =>
        new ReconnectBackoff(Base, Max, () => 0).Delay(0).ShouldBe(TimeSpan.FromMilliseconds(250));

    [Fact]
    public void RealJitterSpreadsTheDelaysOfOneAttempt()
    {
        var backoff = new ReconnectBackoff(Base, Max);
        var delays = Enumerable.Range(0, 200).Select(_ => backoff.Delay(3)).ToList();

        delays.ShouldAllBe(d => d >= TimeSpan.FromSeconds(2) && d <= TimeSpan.FromSeconds(4));
        delays.Distinct().Count().ShouldBeGreaterThan(100);
    }

    [Fact]
    public void ABaseOfZeroOrAMaximumBelowTheBaseIsRefused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new ReconnectBackoff(TimeSpan.Zero, Max));
        Should.Throw<ArgumentOutOfRangeException>(() => new ReconnectBackoff(Base, TimeSpan.FromMilliseconds(100)));
    }
}
