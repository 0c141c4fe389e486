namespace Fanout.Bench.Results;

/// <summary>
/// The reconnect storm: how many dropped clients came back, what the server's <c>recovered</c> said, how long from
/// the reconnect call to resubscribed (ms), and the events of their rooms sent while they were away (client × event)
/// that never arrived.
/// </summary>
public sealed record ReconnectSummary(
    int Dropped,
    int Back,
    int Failed,
    int RecoveredTrue,
    int RecoveredFalse,
    long ReplayedReported,
    double? ReconnectMsP50,
    double? ReconnectMsMax,
    long GapEventsExpected,
    long GapEventsLost,
    int ClientsWithGapLoss);
