using System.Collections.Concurrent;
using Fanout.Bench.Clients;
using Fanout.Bench.Metrics;
using Fanout.Bench.Publishing;
using Fanout.Bench.Results;

namespace Fanout.Bench.Scenarios;

/// <summary>
/// Drops the chosen clients' connections all at once, waits the gap, then opens new connections and resubscribes
/// each from the last seq it saw (with its epoch), recording what the server answered and how long it took.
/// </summary>
public sealed class ReconnectStorm(IReadOnlyList<BenchClient> clients, TimeSpan gap)
{
    private readonly ConcurrentBag<Outcome> _outcomes = [];

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(clients.Select(c => DropAndReturnAsync(c, cancellationToken)));

    public ReconnectSummary Summarize(PublishLog log, int rooms)
    {
        var outcomes = _outcomes.ToList();
        var back = outcomes.Where(o => o.Reply is not null).ToList();
        var times = back.Select(o => o.BackMs - o.ReconnectMs).Order().ToList();
        var gap = DeliveryEvaluator.GapLoss(log, rooms,
            outcomes.Select(o => (o.Client, o.DropMs, o.Reply is null ? double.MaxValue : o.BackMs)));
        return new ReconnectSummary(
            clients.Count,
            back.Count,
            outcomes.Count - back.Count,
            back.Count(o => o.Reply!.Recovered),
            back.Count(o => !o.Reply!.Recovered),
            back.Sum(o => (long)o.Reply!.Replayed),
            times.Count > 0 ? Math.Round(times[times.Count / 2], 1) : null,
            times.Count > 0 ? Math.Round(times[^1], 1) : null,
            gap.Expected,
            gap.Lost,
            gap.ClientsWithLoss);
    }

    private async Task DropAndReturnAsync(BenchClient client, CancellationToken cancellationToken)
    {
        var dropMs = BenchClock.NowMs;
        await client.StopAsync();
        var wait = gap - TimeSpan.FromMilliseconds(BenchClock.NowMs - dropMs);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }

        var reconnectMs = BenchClock.NowMs;
        SubscribeReply? reply = null;
        try
        {
            reply = await client.ConnectAndSubscribeAsync(resume: true, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await client.StopAsync();
        }

        _outcomes.Add(new Outcome(client, dropMs, reconnectMs, BenchClock.NowMs, reply));
    }

    private sealed record Outcome(BenchClient Client, double DropMs, double ReconnectMs, double BackMs, SubscribeReply? Reply);
}
