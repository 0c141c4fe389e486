using System.Net.WebSockets;
using System.Text.Json;

namespace Fanout.EndToEnd.Tests.Hostile;

/// <summary>
/// Every hub method against hostile input (<see cref="HostileHubCases"/>): an error for that call and an open
/// connection (argument errors), or a clean close (protocol errors); never a leaked stack trace or exception type, a
/// dead node, a changed history or a poisoned room.
/// </summary>
public abstract class HostileHubTests(HostileStackFixture fixture)
{
    private const string ValidId = "v";

    public static TheoryData<string> Cases() => HostileHubCases.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileHubMessageGetsAnErrorForThatCallAndHarmsNothing(string name)
    {
        var hostile = HostileHubCases.All[name];
        await using var socket = await fixture.ConnectHubAsync();

        await SendAsync(socket, hostile);

        if (hostile.Expectation == HubExpectation.Ignored)
        {
            await socket.InvokeAsync(ValidId, "Unsubscribe", $"[\"{HostileStackFixture.TargetRoom}\"]");
            var valid = await socket.CompletionAsync(ValidId);
            valid.ShouldNotBeNull($"{name}: the connection goes on after a skipped message ({string.Join(" | ", socket.CloseMessages)})");
            ShouldSucceed(valid.Value, $"{name}: the next call");
        }
        else if (hostile.Expectation == HubExpectation.ProtocolError)
        {
            // A message SignalR skips without parsing a message out of it (an unknown type) leaves the rest of that read
            // unparsed until more data arrives, as in stock SignalR: pings, as every client sends, supply it.
            using var stopPings = new CancellationTokenSource();
            var pings = PingAsync(socket, stopPings.Token);
            var valid = await socket.CompletionAsync(ValidId);
            await stopPings.CancelAsync();
            await pings;
            if (valid is { } completion)
            {
                ShouldSucceed(completion, $"{name}: the next call");
            }
        }
        else
        {
            var completion = await socket.CompletionAsync(HostileHubCase.Id);
            completion.ShouldNotBeNull($"{name}: the node closed the connection for an argument error ({string.Join(" | ", socket.CloseMessages)})");
            var error = completion.Value.TryGetProperty("error", out var e) ? e.GetString() : null;
            if (hostile.Expectation == HubExpectation.CallError)
            {
                error.ShouldNotBeNullOrWhiteSpace($"{name}: the call fails with an error");
            }

            await socket.InvokeAsync(ValidId, "Unsubscribe", $"[\"{HostileStackFixture.TargetRoom}\"]");
            var valid = await socket.CompletionAsync(ValidId);
            valid.ShouldNotBeNull($"{name}: the connection stays open");
            ShouldSucceed(valid.Value, $"{name}: the next call");
        }

        foreach (var message in socket.Received)
        {
            Leaks.ShouldNotLeak(message, name);
        }

        await ANewConnectionWorksAsync(name);
        await fixture.AssertIntactAsync(name);
    }

    [Fact]
    public async Task AFloodOfBadInvocationsOnOneConnectionGetsAnErrorEachAndTheConnectionGoesOn()
    {
        await using var socket = await fixture.ConnectHubAsync();
        var bad = HostileHubCases.All.Values.Where(c => c.Expectation == HubExpectation.CallError && c.Frame.Length < 4_096).ToArray();
        const int count = 2_000;
        for (var i = 0; i < count; i++)
        {
            var frame = System.Text.Encoding.UTF8.GetString(bad[i % bad.Length].Frame)
                .Replace($"\"invocationId\":\"{HostileHubCase.Id}\"", $"\"invocationId\":\"f{i}\"", StringComparison.Ordinal);
            await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(frame));
        }

        await socket.InvokeAsync(ValidId, "Unsubscribe", $"[\"{HostileStackFixture.TargetRoom}\"]");
        var valid = await socket.CompletionAsync(ValidId, TimeSpan.FromSeconds(120));
        valid.ShouldNotBeNull($"the connection stays open through the flood ({string.Join(" | ", socket.CloseMessages)})");
        ShouldSucceed(valid.Value, "the call after the flood");
        var errors = socket.Received.Count(m => m.Contains("\"invocationId\":\"f", StringComparison.Ordinal) && m.Contains("\"error\"", StringComparison.Ordinal));
        errors.ShouldBe(count, "every bad invocation got its error");
        foreach (var message in socket.Received)
        {
            Leaks.ShouldNotLeak(message, "flood");
        }

        await fixture.AssertIntactAsync("the hub flood");
    }

    private static async Task SendAsync(HubFrameSocket socket, HostileHubCase hostile)
    {
        try
        {
            await socket.SendAsync(hostile.Frame);
            if (hostile.Expectation == HubExpectation.ProtocolError)
            {
                await socket.InvokeAsync(ValidId, "Unsubscribe", $"[\"{HostileStackFixture.TargetRoom}\"]");
            }
        }
        catch (WebSocketException) when (hostile.Expectation == HubExpectation.ProtocolError)
        {
            // The node closed the connection while the message was still being sent: allowed for protocol errors.
        }
    }

    private static async Task PingAsync(HubFrameSocket socket, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                // Pacing a client's keep-alive, not waiting for a condition: CompletionAsync has the deadline.
                await Task.Delay(TimeSpan.FromMilliseconds(500), stop);
                await socket.PingAsync();
            }
        }
        catch (Exception)
        {
            // Stopped, or the node closed the connection: either ends the pings.
        }
    }

    private static void ShouldSucceed(JsonElement completion, string what) =>
        completion.TryGetProperty("error", out var error).ShouldBeFalse($"{what} fails: {(error.ValueKind == JsonValueKind.String ? error.GetString() : null)}");

    private async Task ANewConnectionWorksAsync(string name)
    {
        await using var fresh = await fixture.ConnectHubAsync();
        await fresh.InvokeAsync(ValidId, "Unsubscribe", $"[\"{HostileStackFixture.TargetRoom}\"]");
        var completion = await fresh.CompletionAsync(ValidId);
        completion.ShouldNotBeNull($"a new connection after {name} is served");
        ShouldSucceed(completion.Value, $"a new connection's call after {name}");
    }
}

/// <summary>The tests above on the distributed stack.</summary>
[Collection(HostileCollection.Name)]
public sealed class HostileHubTestsDistributed(DistributedHostileStackFixture fixture) : HostileHubTests(fixture);

/// <summary>The tests above on the embedded mode (one process).</summary>
[Collection(EmbeddedHostileCollection.Name)]
public sealed class HostileHubTestsEmbedded(EmbeddedHostileStackFixture fixture) : HostileHubTests(fixture);
