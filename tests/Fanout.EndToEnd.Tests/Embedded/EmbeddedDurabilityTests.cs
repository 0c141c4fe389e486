using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Embedded;

/// <summary>
/// The embedded mode's durability: an event answered 202 is in the SQLite file, whatever happens to the process after
/// the answer (kill -9, SIGTERM), and a full database refuses with 503 and stores nothing. Each test has a process and
/// a data directory of its own.
/// </summary>
public sealed class EmbeddedDurabilityTests() : StackLifetime(new StackOptions
{
    Mode = StackMode.Embedded,
    Settings = new Dictionary<string, string>(SharedStackFixture.UnlimitedKey),
})
{
    [Fact]
    public async Task AfterAKillDuringSteadyPublishingEveryAcceptedEventIsStoredSeqsContinueAndAClientGetsExactlyWhatItMissed()
    {
        var room = $"crash:{Guid.NewGuid():N}"[..20];
        var marker = await Ingest.PublishAsync(room, "msg", -1);
        await Ingest.WaitForStoredAsync(room, 1);
        var epoch = (await Ingest.ReadAllAsync(room)).Last.Epoch;
        var client = await RecordingClient.ConnectAsync(Stack, 0);
        await client.SubscribeAsync(room);

        var accepted = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var publishers = StartPublishers(room, accepted, stop.Token);

        await Eventually.HoldsAsync(() => Task.FromResult(accepted.Count >= 300), "300 events accepted before the kill");
        await client.WaitForAsync(room, 100);
        await Stack.Ingest.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(publishers);
        var lastSeen = client.Events(room).Max(e => e.Seq);
        await client.DisposeAsync();

        Stack.Ingest.Start();
        await Stack.Ingest.WaitReadyAsync();
        var (history, events) = await Ingest.ReadAllAsync(room);
        history.Epoch.ShouldBe(epoch, "a crash is not a restore: the epoch stays");
        events.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, events.Count).Select(i => (long)i), "gapless from 1");
        var stored = events.Select(e => e.Id.ToString()).ToHashSet(StringComparer.Ordinal);
        accepted.Keys.Where(id => !stored.Contains(id)).ShouldBeEmpty("every event answered 202 is stored");
        stored.ShouldContain(marker);

        var next = await Ingest.PublishAsync(room, "msg", "after the restart");
        await Ingest.WaitForStoredAsync(room, events.Count + 1);
        (await Ingest.ReadAllAsync(room)).Events[^1].Id.ToString().ShouldBe(next, "seqs continue after the restart");

        await using var back = await RecordingClient.ConnectAsync(Stack, 0);
        var result = await back.SubscribeAsync(room, lastSeen, epoch);
        result.Recovered.ShouldBeTrue();
        var missing = events.Count + 1 - (int)lastSeen;
        await back.WaitForAsync(room, missing);
        var marker2 = $"done:{Guid.NewGuid():N}"[..16];
        await back.SubscribeAsync(marker2);
        await Ingest.PublishAsync(marker2, "msg", "marker");
        await back.WaitForAsync(marker2, 1);
        back.Events(room).Select(e => e.Seq).ShouldBe(Enumerable.Range((int)lastSeen + 1, missing).Select(i => (long)i),
            "exactly the missed events, once each, in order");
    }

    [Fact]
    public async Task OnSigtermEveryEventAcceptedBeforeTheStopIsStored()
    {
        var room = $"term:{Guid.NewGuid():N}"[..20];
        var accepted = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var publishers = StartPublishers(room, accepted, stop.Token);

        await Eventually.HoldsAsync(() => Task.FromResult(accepted.Count >= 300), "300 events accepted before the stop");
        await Stack.Ingest.StopAsync();
        await stop.CancelAsync();
        await Task.WhenAll(publishers);

        Stack.Ingest.Start();
        await Stack.Ingest.WaitReadyAsync();
        var (_, events) = await Ingest.ReadAllAsync(room);
        var stored = events.Select(e => e.Id.ToString()).ToHashSet(StringComparer.Ordinal);
        accepted.Keys.Where(id => !stored.Contains(id)).ShouldBeEmpty("every event answered 202 is stored");
        events.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, events.Count).Select(i => (long)i));
        File.ReadAllText(Stack.Ingest.LogPath).ShouldContain("every accepted event is stored");
    }

    /// <summary>Eight publishers, each publishing until stopped or the process is gone; every 202 is recorded with its id.</summary>
    private List<Task> StartPublishers(string room, ConcurrentDictionary<string, int> accepted, CancellationToken stop) =>
        Enumerable.Range(0, 8).Select(p => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                try
                {
                    using var response = await Ingest.SendPublishAsync(room, "msg", new { p, n });
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        accepted[(await response.Content.ReadFromJsonAsync<IdBody>())!.Id] = p;
                    }
                }
                catch (HttpRequestException)
                {
                    return; // the process is gone
                }
            }
        })).ToList();

    private sealed record IdBody(string Id);
}
