using System.Net.Sockets;
using System.Text;
using Fanout.Client;
using Fanout.HubProtocol;
using Fanout.Testing;

namespace Fanout.EndToEnd.Tests.Support;

/// <summary>
/// A hub client (<see cref="HubSocket"/>) that subscribes and then stops reading its socket, with a small receive
/// buffer so the node's writes back up quickly. It keeps sending pings, as a client that cannot keep up (not a dead
/// one) would, so only slowness can get it dropped.
/// </summary>
public sealed class StalledHubSocket : IAsyncDisposable
{
    private readonly HubSocket _hub;
    private readonly CancellationTokenSource _stop = new();
    private Task _pings = Task.CompletedTask;

    private StalledHubSocket(HubSocket hub) => _hub = hub;

    public static async Task<StalledHubSocket> ConnectAndSubscribeAsync(Uri hubUrl, string token, string room)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { ConnectCallback = SmallReceiveBufferAsync });
        var hub = await HubSocket.ConnectAsync(HubWebSockets.WebSocketUri(hubUrl, token), new HubSocketOptions { Invoker = invoker }, timeout.Token);
        var stalled = new StalledHubSocket(hub);
        await hub.InvokeAsync("1", "Subscribe", $"[\"{room}\"]", timeout.Token);
        while (await hub.ReceiveRecordAsync(timeout.Token) is { } record)
        {
            if (record.Contains("\"invocationId\":\"1\"", StringComparison.Ordinal))
            {
                stalled._pings = stalled.PingAsync();
                return stalled;
            }
        }

        await stalled.DisposeAsync();
        throw new InvalidOperationException($"The server closed the connection: {hub.CloseReason}");
    }

    /// <summary>
    /// Connects and sends <c>Subscribe(room, afterSeq)</c> without reading anything after the handshake, not even the
    /// call's result: a client that stalls while the node replays history to it.
    /// </summary>
    public static async Task<StalledHubSocket> ConnectAndStartReplayAsync(Uri hubUrl, string token, string room, long afterSeq)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { ConnectCallback = SmallReceiveBufferAsync });
        var hub = await HubSocket.ConnectAsync(HubWebSockets.WebSocketUri(hubUrl, token), new HubSocketOptions { Invoker = invoker }, timeout.Token);
        var stalled = new StalledHubSocket(hub);
        await hub.InvokeAsync("1", "Subscribe", $"[\"{room}\",{afterSeq}]", timeout.Token);
        stalled._pings = stalled.PingAsync();
        return stalled;
    }

    /// <summary>
    /// Starts reading again: reads until the node closes the connection (or <paramref name="timeout"/>); returns the last
    /// messages that arrived (up to about <paramref name="tailChars"/> characters), where a close message would be.
    /// </summary>
    public async Task<(bool Closed, string Tail)> DrainUntilClosedAsync(TimeSpan timeout, int tailChars = 4096)
    {
        await _stop.CancelAsync();
        var tail = new StringBuilder();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (await _hub.ReceiveAsync(deadline.Token))
            {
                while (_hub.TryReadRecord(out var record))
                {
                    tail.Append(Encoding.UTF8.GetString(record)).Append(HubRecords.RecordSeparatorChar);
                }

                if (tail.Length > tailChars * 2)
                {
                    tail.Remove(0, tail.Length - tailChars);
                }
            }

            return (true, tail.ToString());
        }
        catch (OperationCanceledException)
        {
            return (false, tail.ToString());
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            return (true, tail.ToString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pings.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _hub.Abort();
        await _hub.DisposeAsync();
        _stop.Dispose();
    }

    private static async ValueTask<Stream> SmallReceiveBufferAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        // Set before connecting, so the kernel does not grow it: the node's writes stall after a few KiB.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task PingAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                // Pacing, not waiting for a condition: a client's keep-alive.
                await Task.Delay(TimeSpan.FromSeconds(5), _stop.Token);
                // Not cancelled by _stop: a cancelled send would abort the WebSocket that DrainUntilClosedAsync reads.
                using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
                await _hub.PingAsync(timeout.Token);
            }
        }
        catch (Exception)
        {
            // Stopped, or the node closed the connection: either ends the pings.
        }
    }
}
