namespace Fanout.Client;

/// <summary>
/// Exponential backoff with jitter: before attempt <c>n</c> (0-based) the ceiling is
/// <c>min(max, base × 2^n)</c> and the delay is uniform in [ceiling / 2, ceiling] — never zero, so clients dropped
/// together do not come back together (a draining node would otherwise take them again).
/// </summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _base;
    private readonly TimeSpan _max;
    private readonly Func<double> _random;

    /// <param name="baseDelay">The ceiling of the first delay (positive).</param>
    /// <param name="maxDelay">The largest ceiling (at least <paramref name="baseDelay"/>).</param>
    /// <param name="random">Uniform in [0, 1); <see cref="Random.Shared"/> when null.</param>
    public ReconnectBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Func<double>? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        _base = baseDelay;
        _max = maxDelay;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>The largest delay before attempt <paramref name="attempt"/> (0-based).</summary>
    public TimeSpan Ceiling(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var ticks = _base.Ticks * Math.Pow(2, Math.Min(attempt, 62));
        return ticks >= _max.Ticks ? _max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay before attempt <paramref name="attempt"/> (0-based): in [ceiling / 2, ceiling].</summary>
    public TimeSpan Delay(int attempt)
    {
        var ceiling = Ceiling(attempt);
        var jitter = Math.Clamp(_random(), 0, 1);
        return TimeSpan.FromTicks(ceiling.Ticks / 2 + (long)(ceiling.Ticks / 2 * jitter));
    }
}
