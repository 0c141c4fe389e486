using Fanout.Bench.Clients;
using Fanout.Bench.Metrics;
using Fanout.Bench.Publishing;
using Fanout.Bench.Settings;

namespace Fanout.Bench.Scenarios;

/// <summary>
/// A run's moving parts once every client is connected and subscribed: the clients, the publisher and its log,
/// the receipt counters. Scenarios compose its warm-up and measured phases.
/// </summary>
public sealed class BenchSession : IAsyncDisposable
{
    public const int WarmupPhase = 1;
    public const int FirstMeasuredPhase = 2;
    private readonly EventPoster _poster;
    private readonly PublisherThreads? _publisherThreads;

    private BenchSession(BenchSettings settings, RunStatus status, DeliveryCounters counters, ClientPool pool, EventPoster poster)
    {
        Settings = settings;
        Status = status;
        Counters = counters;
        Pool = pool;
        _poster = poster;
        // One thread per keep-alive connection at most: a further one would only wait for a connection.
        _publisherThreads = settings.Publisher == PublisherMode.Threads ? new PublisherThreads(settings.HttpConnections) : null;
        Publisher = new PacedPublisher(poster, Log, settings.Rooms, settings.MaxInflight, _publisherThreads);
    }

    public BenchSettings Settings { get; }

    public RunStatus Status { get; }

    public DeliveryCounters Counters { get; }

    public ClientPool Pool { get; }

    public PublishLog Log { get; } = new();

    public PacedPublisher Publisher { get; }

    /// <summary>Connects and subscribes every client; fails when none could.</summary>
    public static async Task<BenchSession> OpenAsync(BenchSettings settings, RunStatus? status = null, CancellationToken cancellationToken = default)
    {
        status ??= new RunStatus();
        status.Enter($"connecting {settings.Clients} clients");
        var counters = new DeliveryCounters();
        var pool = await ClientPool.ConnectAsync(settings, counters, cancellationToken);
        if (pool.Summary.Ok == 0)
        {
            await pool.DisposeAsync();
            throw new InvalidOperationException($"No client could connect: {string.Join("; ", pool.Summary.Errors.Select(e => $"{e.Value}x {e.Key}"))}");
        }

        var rooms = Enumerable.Range(0, settings.Rooms).Select(settings.RoomName).ToList();
        var poster = new EventPoster(settings.Ingest, settings.ApiKey, rooms, settings.HttpConnections);
        return new BenchSession(settings, status, counters, pool, poster);
    }

    /// <summary>Publishes at the base rate for the warm-up (phase 1): its deliveries count for loss, not latency.</summary>
    public async Task WarmupAsync(double rate, CancellationToken cancellationToken)
    {
        if (Settings.WarmupSeconds > 0)
        {
            Status.Enter("warm-up", rate, Settings.WarmupSeconds);
            await Publisher.RunPhaseAsync(WarmupPhase, rate, TimeSpan.FromSeconds(Settings.WarmupSeconds), null, cancellationToken);
        }
    }

    /// <summary>
    /// A measured phase: publish, wait for <paramref name="beforeDrain"/> (if any), drain, then evaluate; CPU is
    /// sampled from the phase's start to the end of the drain.
    /// </summary>
    public async Task<WindowMeasurement> MeasureAsync(string name, int phase, double rate, TimeSpan duration,
        IReadOnlyList<(TimeSpan Offset, Action Action)>? at = null, Func<Task>? beforeDrain = null, CancellationToken cancellationToken = default)
    {
        Status.Enter(name, rate, duration.TotalSeconds);
        var cpu = new CpuSampler(Settings.ServerPids);
        cpu.Start();
        var run = await Publisher.RunPhaseAsync(phase, rate, duration, at, cancellationToken);
        if (beforeDrain is not null)
        {
            Status.Enter($"{name}: waiting for reconnects");
            await beforeDrain();
        }

        Status.Enter($"{name}: draining");
        var drain = await DrainAsync(phase, cancellationToken);
        var usage = cpu.Stop();
        var delivery = DeliveryEvaluator.Evaluate(Log, Pool, Settings.Rooms, run.FirstK, run.EndK, p => p == phase);
        return new WindowMeasurement(run, delivery, Counters.Latency(phase).Summary(), usage, drain);
    }

    /// <summary>Loss over everything published since all clients subscribed (warm-up included).</summary>
    public DeliveryStats EvaluateAll() =>
        DeliveryEvaluator.Evaluate(Log, Pool, Settings.Rooms, 0, Log.Count, p => p >= WarmupPhase);

    /// <summary>Waits until every accepted event of the phase reached every client of its room, or nothing more arrives.</summary>
    private async Task<DrainResult> DrainAsync(int phase, CancellationToken cancellationToken)
    {
        await Publisher.IdleAsync(cancellationToken);
        var want = Log.Accepted(phase) * Settings.ClientsPerRoom;
        var start = BenchClock.NowMs;
        var lastChange = start;
        var last = -1L;
        while (true)
        {
            var got = Counters.FirstCopies(phase);
            var now = BenchClock.NowMs;
            if (got >= want)
            {
                return new DrainResult(Math.Round((now - start) / 1000, 3), true);
            }

            if (got != last)
            {
                (last, lastChange) = (got, now);
            }

            if (now - lastChange > Settings.DrainIdleSeconds * 1000 || now - start > Settings.DrainMaxSeconds * 1000)
            {
                return new DrainResult(Math.Round((now - start) / 1000, 3), false);
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Status.Enter("closing connections");
        await Publisher.IdleAsync();
        await Pool.DisposeAsync();
        _publisherThreads?.Dispose();
        _poster.Dispose();
    }
}
