using System.Text.Json;
using Fanout.Client;
using Fanout.HubProtocol;
using Fanout.Testing;

namespace Fanout.IntegrationTests.Realtime;

/// <summary>
/// A hub connection spoken by hand (<see cref="HubSocket"/>), for messages the .NET client will not produce, read as
/// JSON. Every send and receive is bounded by <see cref="Eventually.DefaultTimeout"/>.
/// </summary>
public sealed class RawHubSocket : IAsyncDisposable
{
    private readonly HubSocket _hub;

    private RawHubSocket(HubSocket hub) => _hub = hub;

    public static async Task<RawHubSocket> ConnectAsync(Uri hubUrl, string token)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        return new RawHubSocket(await HubSocket.ConnectAsync(HubWebSockets.WebSocketUri(hubUrl, token), options: null, timeout.Token));
    }

    /// <summary>Sends <paramref name="json"/> as one message (the record separator appended).</summary>
    public async Task SendAsync(string json)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await _hub.SendRecordAsync(json, timeout.Token);
    }

    /// <summary>The next message that is not a ping.</summary>
    public async Task<JsonElement> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        while (true)
        {
            var text = await _hub.ReceiveRecordAsync(timeout.Token)
                ?? throw new InvalidOperationException($"The server closed the connection: {_hub.CloseReason}");
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.GetProperty("type").GetInt32() != 6)
            {
                return document.RootElement.Clone();
            }
        }
    }

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}
