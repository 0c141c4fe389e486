using Fanout.Bench.Clients;
using Fanout.Bench.Publishing;
using Fanout.Bench.Scenarios;
using Fanout.Bench.Settings;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests;

/// <summary>The load generator's engines, briefly and at a low rate, against the shared test stack of each mode.</summary>
public abstract class BenchSmokeTests(StackLifetime fixture)
{
    [Theory]
    [InlineData(PublisherMode.Pool)]
    [InlineData(PublisherMode.Threads)]
    public async Task ASteadyRunDeliversEveryEventOnceInOrderAndMeasuresServerCpu(PublisherMode publisher)
    {
        var settings = AgainstTheStack() with
        {
            Publisher = publisher,
            Rooms = 2,
            ClientsPerRoom = 3,
            Rate = 20,
            DurationSeconds = 3,
            DrainMaxSeconds = 10,
        };

        var run = RunSteadyAsync(settings);
        var result = await Eventually.WithinAsync(run, "a 4 s steady bench run", TimeSpan.FromSeconds(60));

        result.Connect.Ok.ShouldBe(6);
        result.Publisher.ShouldBe(publisher);
        result.Published.ShouldBeGreaterThan(0);
        result.PublishFailed.ShouldBe(0);
        result.ExpectedDeliveries.ShouldBe(result.Published * 3);
        result.Lost.ShouldBe(0);
        result.Duplicated.ShouldBe(0);
        result.OutOfOrder.ShouldBe(0);
        result.LatencyMs.Count.ShouldBeGreaterThan(0);
        result.Cpu.ServerCpuByPidSeconds.Count.ShouldBe(settings.ServerPids.Count);
        result.Cpu.ServerCpuByPidSeconds.Values.ShouldAllBe(seconds => seconds != null && seconds >= 0);
        result.Cpu.ServerCpuSeconds.ShouldBeGreaterThanOrEqualTo(0);
        result.ServerCpuMsPer1kDeliveries.ShouldNotBeNull();
        result.ServerCpuMsPer1kDeliveries!.Value.ShouldBeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task AReconnectStormRecoversEveryClientWithoutLossOrDuplicates()
    {
        var settings = AgainstTheStack() with
        {
            Rooms = 4,
            ClientsPerRoom = 5,
            Rate = 80,
            DurationSeconds = 4,
            DrainMaxSeconds = 15,
            ReconnectStorm = new ReconnectStormSettings { DropAtSeconds = 1, GapSeconds = 1 },
        };

        var run = RunAsync(new ReconnectStormScenario(), settings);
        var result = await Eventually.WithinAsync(run, "a reconnect storm bench run", TimeSpan.FromSeconds(90));

        result.Reconnect.ShouldNotBeNull();
        result.Reconnect.Dropped.ShouldBe(20);
        result.Reconnect.Back.ShouldBe(20);
        result.Reconnect.RecoveredTrue.ShouldBe(20);
        result.Reconnect.GapEventsLost.ShouldBe(0);
        result.Lost.ShouldBe(0);
        result.Duplicated.ShouldBe(0, "replay and live must not overlap after a reconnect");
        result.OutOfOrder.ShouldBe(0);
    }

    [Theory]
    [InlineData(TokenPlacement.Header)]
    [InlineData(TokenPlacement.Query)]
    public async Task AnIdleConnectionsRunReadsTheNodesMemoryAndReachesEveryConnection(TokenPlacement tokenIn)
    {
        var settings = AgainstTheStack() with
        {
            IdleConnections = new IdleConnectionsSettings
            {
                Connections = 20, Rooms = 4, SettleSeconds = 1, NodePid = fixture.Stack.Nodes[0].ProcessId,
            },
            TokenIn = tokenIn,
        };

        var run = IdleConnectionsScenario.RunAsync(settings, new RunStatus());
        var result = await Eventually.WithinAsync(run, "an idle-connections bench run", TimeSpan.FromSeconds(60));

        result.Connect.Ok.ShouldBe(20);
        var idle = result.IdleConnections.ShouldNotBeNull();
        idle.Node.ShouldBe("realtime-1");
        idle.TokenIn.ShouldBe(tokenIn);
        idle.ProbeExpected.ShouldBe(20, "one event per room, each to its 5 connections");
        idle.ProbeDelivered.ShouldBe(20);
        idle.Before.NodeRssMiB.ShouldBeGreaterThan(0);
        idle.After.NodeRssMiB.ShouldBeGreaterThan(0);
        (idle.Connected.NodeConnections - idle.Before.NodeConnections).ShouldBe(20, "the node's own gauge counts the bench's connections");
        idle.After.NodeConnections.ShouldBe(idle.Before.NodeConnections, "every connection closed");
        idle.GrowthPerConnectionKiB.ShouldNotBeNull();
    }

    /// <summary>The bench pointed at the shared test stack, charging the CPU of its processes.</summary>
    private BenchSettings AgainstTheStack()
    {
        var stack = fixture.Stack;
        return new BenchSettings
        {
            Ingest = stack.Ingest.BaseAddress,
            Nodes = [.. new[] { stack.HubUrl(0), stack.HubUrl(1) }.Distinct()],
            ApiKey = FanoutStack.ApiKey,
            SigningKey = FanoutStack.SigningKey,
            WarmupSeconds = 1,
            ServerPids = stack.All
                .Where(p => p.ProcessId is not null)
                .Select(p => new ServerPid(p.Name, p.ProcessId!.Value))
                .ToList(),
        };
    }

    private static Task<Fanout.Bench.Results.BenchResult> RunSteadyAsync(BenchSettings settings) => RunAsync(new SteadyScenario(), settings);

    private static async Task<Fanout.Bench.Results.BenchResult> RunAsync(IBenchScenario scenario, BenchSettings settings)
    {
        await using var session = await BenchSession.OpenAsync(settings);
        return await scenario.RunAsync(session, CancellationToken.None);
    }
}

/// <summary>The smoke runs against the distributed stack.</summary>
[Collection(SharedStackCollection.Name)]
public sealed class BenchSmokeTestsDistributed(SharedStackFixture fixture) : BenchSmokeTests(fixture);

/// <summary>The smoke runs against the embedded mode.</summary>
[Collection(EmbeddedStackCollection.Name)]
public sealed class BenchSmokeTestsEmbedded(EmbeddedStackFixture fixture) : BenchSmokeTests(fixture);
