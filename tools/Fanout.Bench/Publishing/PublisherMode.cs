namespace Fanout.Bench.Publishing;

/// <summary>Where the publisher sends its requests and awaits their answers (<c>--publisher</c>).</summary>
public enum PublisherMode
{
    /// <summary>
    /// Asynchronously on the thread pool the receiving clients share (how every earlier figure was measured): with
    /// many busy clients an answer waits behind them, so the publish answer times include bench time.
    /// </summary>
    Pool,

    /// <summary>
    /// On threads of the publisher's own (<see cref="PublisherThreads"/>): answer times are Ingest's. Bench CPU at
    /// steady 400 ev/s was 0.53 core against 0.43–0.56 with <see cref="Pool"/>: no difference established yet.
    /// </summary>
    Threads,
}
