using System.Net;
using System.Net.Http.Json;
using Fanout.Contracts.Wire;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Fanout.Testing.SignalR;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Hostile;

[CollectionDefinition(Name)]
public sealed class HostileCollection : ICollectionFixture<DistributedHostileStackFixture>
{
    public const string Name = "hostile input";
}

[CollectionDefinition(Name)]
public sealed class EmbeddedHostileCollection : ICollectionFixture<EmbeddedHostileStackFixture>
{
    public const string Name = "hostile input, embedded";
}

public sealed class DistributedHostileStackFixture() : HostileStackFixture(StackMode.Distributed);

public sealed class EmbeddedHostileStackFixture() : HostileStackFixture(StackMode.Embedded);

/// <summary>
/// One stack for the hostile-input suite, with rooms published to before the barrage. After each hostile case
/// <see cref="AssertIntactAsync"/> checks that every process still runs, that the seeded histories are exactly as
/// accepted, and that the target room of the hostile requests still takes a valid event.
/// </summary>
public abstract class HostileStackFixture(StackMode mode) : IAsyncLifetime
{
    /// <summary>The valid room the hostile requests aim at (when their room is not the hostile part).</summary>
    public const string TargetRoom = "hostile:target";

    private static readonly string[] SeededRooms = ["hostile:seed-a", "hostile:seed-b"];

    private readonly Dictionary<string, List<RoomEvent>> _seeded = new(StringComparer.Ordinal);

    public FanoutStack Stack { get; private set; } = null!;

    public IngestClient Ingest { get; private set; } = null!;

    /// <summary>An HTTP client for Ingest with no default headers: each case sets its own.</summary>
    public HttpClient Bare { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stack = await FanoutStack.StartAsync(new StackOptions { Mode = mode, Sequencers = 1, RealtimeNodes = 1, Partitions = 2 });
        Ingest = new IngestClient(Stack.CreateIngestClient());
        Bare = new HttpClient { BaseAddress = Stack.Ingest.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        foreach (var room in SeededRooms)
        {
            for (var i = 0; i < 20; i++)
            {
                await Ingest.PublishAsync(room, "seed", new { i, text = "f\u00f8r \u202e \u200b \U0001F642" });
            }

            await Ingest.WaitForStoredAsync(room, 20);
            _seeded[room] = (await Ingest.ReadAllAsync(room)).Events;
        }
    }

    public async Task DisposeAsync()
    {
        Bare.Dispose();
        Ingest.Dispose();
        await Stack.DisposeAsync();
    }

    public static string Token(string sub = "hostile-user") => TestTokens.Create(sub, FanoutStack.SigningKey);

    public Task<HubFrameSocket> ConnectHubAsync() => HubFrameSocket.ConnectAsync(Stack.HubUrl(0), Token());

    /// <summary>Every process runs and is live, the seeded rooms are unchanged, and the target room takes an event.</summary>
    public async Task AssertIntactAsync(string after)
    {
        foreach (var service in Stack.All)
        {
            service.IsRunning.ShouldBeTrue($"{service.Name} still runs after {after}");
        }

        foreach (var (room, events) in _seeded)
        {
            var now = await ReadAllOverTheRateLimitAsync(room, after);
            now.Select(e => (e.Id, e.Seq, e.Epoch, e.Type, Data: e.Data.GetRawText()))
                .ShouldBe(events.Select(e => (e.Id, e.Seq, e.Epoch, e.Type, Data: e.Data.GetRawText())), $"{room} is intact after {after}");
        }

        // Over the rate limit after a flood is a 429 for a moment, not a poisoned room: retry until it passes.
        await Eventually.HoldsAsync(
            async () =>
            {
                using var response = await Ingest.Http.PostAsJsonAsync($"/v1/rooms/{TargetRoom}/events", new { type = "ok", data = after });
                response.StatusCode.ShouldBeOneOf([HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], $"a valid publish after {after}");
                return response.StatusCode == HttpStatusCode.Accepted;
            },
            $"the target room takes a valid event after {after}");
    }

    /// <summary>
    /// The room's history, read again while the key is over its rate limit: a flood spends the key's token bucket, so
    /// the reads right after it may get a 429 for a moment (any other failure fails at once).
    /// </summary>
    private async Task<List<RoomEvent>> ReadAllOverTheRateLimitAsync(string room, string after)
    {
        List<RoomEvent>? events = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    events = (await Ingest.ReadAllAsync(room)).Events;
                    return true;
                }
                catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    return false;
                }
            },
            $"the history of {room} can be read after {after}");
        return events!;
    }
}
