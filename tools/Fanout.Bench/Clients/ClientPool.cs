using System.Collections.Concurrent;
using Fanout.Bench.Metrics;
using Fanout.Bench.Settings;

namespace Fanout.Bench.Clients;

/// <summary>
/// Every subscriber of a run. Client i joins room floor(i / C) and connects to node i % nodes, so every room has
/// members on every node. Connecting runs with bounded concurrency.
/// </summary>
public sealed class ClientPool : IAsyncDisposable
{
    private readonly BenchClient[][] _byRoom;

    private ClientPool(IReadOnlyList<BenchClient> clients, int rooms, ConnectSummary summary)
    {
        Clients = clients;
        Summary = summary;
        _byRoom = Enumerable.Range(0, rooms).Select(r => clients.Where(c => c.RoomIndex == r).ToArray()).ToArray();
    }

    public IReadOnlyList<BenchClient> Clients { get; }

    public ConnectSummary Summary { get; }

    public int UnexpectedCloses => Clients.Sum(c => c.UnexpectedCloses);

    public long OutOfOrder => Clients.Sum(c => c.Ledger.OutOfOrder);

    public long WrongRoom => Clients.Sum(c => c.Ledger.WrongRoom);

    public IReadOnlyList<BenchClient> InRoom(int roomIndex) => _byRoom[roomIndex];

    public static async Task<ClientPool> ConnectAsync(BenchSettings settings, DeliveryCounters counters, CancellationToken cancellationToken)
    {
        var clients = Enumerable.Range(0, settings.Clients)
            .Select(i =>
            {
                var room = i / settings.ClientsPerRoom;
                return new BenchClient(i, room, settings.RoomName(room), settings.Nodes[i % settings.Nodes.Count],
                    AccessTokens.Create($"bench-{i}", settings.SigningKey), settings.Rooms, counters, settings.Client, settings.TokenIn);
            })
            .ToList();
        var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var ok = 0;
        var started = BenchClock.NowMs;
        await Parallel.ForEachAsync(clients,
            new ParallelOptions { MaxDegreeOfParallelism = settings.ConnectConcurrency, CancellationToken = cancellationToken },
            async (client, ct) =>
            {
                try
                {
                    await client.ConnectAndSubscribeAsync(resume: false, ct);
                    Interlocked.Increment(ref ok);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    errors.AddOrUpdate(ex.GetBaseException().Message, 1, (_, n) => n + 1);
                    await client.StopAsync();
                }
            });
        var summary = new ConnectSummary(ok, clients.Count - ok, Math.Round((BenchClock.NowMs - started) / 1000, 3),
            new Dictionary<string, int>(errors, StringComparer.Ordinal));
        return new ClientPool(clients, settings.Rooms, summary);
    }

    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(Clients, new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (client, _) => await client.StopAsync());
    }
}
