using Fanout.Bench.Clients;
using Fanout.Bench.Publishing;

namespace Fanout.Bench.Scenarios;

/// <summary>Compares what was published (accepted) with what every client of the room received.</summary>
public static class DeliveryEvaluator
{
    /// <summary>Over the accepted events with counter in [<paramref name="firstK"/>, <paramref name="endK"/>) whose phase passes the filter.</summary>
    public static DeliveryStats Evaluate(PublishLog log, ClientPool pool, int rooms, long firstK, long endK, Func<int, bool> phase)
    {
        long published = 0, expected = 0, received = 0, duplicated = 0;
        for (var k = firstK; k < endK; k++)
        {
            var record = log[k];
            if (record.State != PublishState.Accepted || !phase(record.Phase))
            {
                continue;
            }

            published++;
            foreach (var client in pool.InRoom((int)(k % rooms)))
            {
                expected++;
                var copies = client.Ledger.CopiesOf(k);
                received += copies > 0 ? 1 : 0;
                duplicated += Math.Max(0, copies - 1);
            }
        }

        return new DeliveryStats(published, expected, received, duplicated);
    }

    /// <summary>
    /// For clients that were away from <c>DropMs</c> to <c>BackMs</c>: the events of their room sent in that span
    /// (client × event) and how many of those never arrived.
    /// </summary>
    public static (long Expected, long Lost, int ClientsWithLoss) GapLoss(PublishLog log, int rooms,
        IEnumerable<(BenchClient Client, double DropMs, double BackMs)> away)
    {
        long expected = 0, lost = 0;
        var clientsWithLoss = 0;
        var count = log.Count;
        foreach (var (client, dropMs, backMs) in away)
        {
            var lostBefore = lost;
            for (long k = client.RoomIndex; k < count; k += rooms)
            {
                var record = log[k];
                if (record.State == PublishState.Accepted && record.SentAtMs >= dropMs && record.SentAtMs < backMs)
                {
                    expected++;
                    lost += client.Ledger.CopiesOf(k) == 0 ? 1 : 0;
                }
            }

            clientsWithLoss += lost > lostBefore ? 1 : 0;
        }

        return (expected, lost, clientsWithLoss);
    }
}
