using System.Globalization;
using Fanout.Messaging;
using Fanout.Testing;
using Fanout.Testing.Servers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fanout.IntegrationTests.Messaging;

/// <summary>
/// A process started with another <c>Topology:Partitions</c> than its cluster's broker stops at start and says why
/// (the real Ingest application over a real broker); with the same count it starts.
/// </summary>
public sealed class PartitionCountGuardTests : IAsyncLifetime
{
    private RabbitMqVhost _vhost = null!;
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _vhost = await RabbitMqVhost.CreateAsync("guard");
        _database = await PostgresDatabase.CreateAsync("guard");
        await using var connection = await _vhost.ConnectAsync();
        await SubmissionTopology.DeclareAsync(connection, new TopologyOptions { Partitions = 4 }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public void IngestWithAnotherPartitionCountThanTheClustersDoesNotStart()
    {
        using var factory = Ingest(partitions: 2);

        var failure = StartupFailure(factory);

        failure.Message.ShouldContain("Topology:Partitions = 2 does not match the partition count the cluster was created with");
    }

    [Fact]
    public void IngestWhosePartitionQueuesTheBrokerHoldsWithAnotherBoundDoesNotStart()
    {
        using var factory = Ingest(partitions: 4, maxQueued: 50);

        var failure = StartupFailure<PartitionQueueMismatchException>(factory);

        failure.Message.ShouldContain("Partition queue fanout.submit.3 exists with other settings");
        failure.Message.ShouldContain("MaxQueuedMessagesPerPartition = 50");
    }

    [Fact]
    public async Task IngestWithTheClustersPartitionCountStarts()
    {
        using var factory = Ingest(partitions: 4);
        using var client = factory.CreateClient();

        await Eventually.HoldsAsync(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, "Ingest is ready");
    }

    /// <summary>The mismatch that stopped the host (retrying the factory's known dispose race, as IngestStartupTests does).</summary>
    private static PartitionCountMismatchException StartupFailure(WebApplicationFactory<Fanout.Ingest.Program> factory) =>
        StartupFailure<PartitionCountMismatchException>(factory);

    private static TException StartupFailure<TException>(WebApplicationFactory<Fanout.Ingest.Program> factory)
        where TException : Exception
    {
        for (var attempt = 1; ; attempt++)
        {
            using var copy = factory.WithWebHostBuilder(_ => { });
            try
            {
                copy.CreateClient();
            }
            catch (Exception ex) when (Find<TException>(ex) is { } mismatch)
            {
                return mismatch;
            }
            catch (ObjectDisposedException) when (attempt < 10)
            {
                continue;
            }

            throw new ShouldAssertException($"Ingest started although the broker's topology differs ({typeof(TException).Name} expected)");
        }
    }

    private static TException? Find<TException>(Exception? exception)
        where TException : Exception => exception switch
    {
        null => null,
        TException mismatch => mismatch,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Find<TException>).FirstOrDefault(found => found is not null),
        _ => Find<TException>(exception.InnerException),
    };

    private WebApplicationFactory<Fanout.Ingest.Program> Ingest(int partitions, int? maxQueued = null) =>
        new WebApplicationFactory<Fanout.Ingest.Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:rabbitmq", _vhost.ConnectionString);
            builder.UseSetting("ConnectionStrings:postgres", _database.ConnectionString);
            builder.UseSetting("Topology:Partitions", partitions.ToString(CultureInfo.InvariantCulture));
            if (maxQueued is { } max)
            {
                builder.UseSetting("Topology:MaxQueuedMessagesPerPartition", max.ToString(CultureInfo.InvariantCulture));
            }

            builder.UseSetting("Logging:LogLevel:Default", "None");
            builder.UseSetting("Ingest:ApiKeys:0:Name", "guard");
            builder.UseSetting("Ingest:ApiKeys:0:Hash", Fanout.IntegrationTests.Ingest.IngestAppFixture.HashOf("guard-key-0123456789abcdef"));
        });
}
