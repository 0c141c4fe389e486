using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Fanout.Client;
using Fanout.Testing;

namespace Fanout.EndToEnd.Tests.Support;

/// <summary>
/// A hub client (JSON protocol over a bare WebSocket, like the integration tests' RawHubSocket) that subscribes and
/// then stops reading its socket, with a small receive buffer so the node's writes back up quickly. It keeps
/// sending pings, as a client that cannot keep up (not a dead one) would, so only slowness can get it dropped.
/// </summary>
public sealed class StalledHubSocket : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _pings = Task.CompletedTask;

    private StalledHubSocket()
    {
    }

    public static async Task<StalledHubSocket> ConnectAndSubscribeAsync(Uri hubUrl, string token, string room)
    {
        var stalled = new StalledHubSocket();
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { ConnectCallback = SmallReceiveBufferAsync });
        await stalled._socket.ConnectAsync(HubWebSockets.WebSocketUri(hubUrl, token), invoker, timeout.Token);
        await stalled.SendAsync("""{"protocol":"json","version":1}""");
        var handshake = await stalled.ReceiveUntilAsync(text => text.Contains(RecordSeparator, StringComparison.Ordinal));
        if (!handshake.StartsWith("{}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Handshake refused: {handshake}");
        }

        await stalled.SendAsync($$"""{"type":1,"invocationId":"1","target":"Subscribe","arguments":["{{room}}"]}""");
        await stalled.ReceiveUntilAsync(text => text.Contains("\"invocationId\":\"1\"", StringComparison.Ordinal));
        stalled._pings = stalled.PingAsync();
        return stalled;
    }

    /// <summary>
    /// Starts reading again: reads until the node closes the connection (or <paramref name="timeout"/>); returns what
    /// arrived after the last <paramref name="tailChars"/> characters, where a close message would be.
    /// </summary>
    public async Task<(bool Closed, string Tail)> DrainUntilClosedAsync(TimeSpan timeout, int tailChars = 4096)
    {
        await _stop.CancelAsync();
        var tail = new StringBuilder();
        var buffer = new byte[64 * 1024];
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, deadline.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (true, tail.ToString());
                }

                tail.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                if (tail.Length > tailChars * 2)
                {
                    tail.Remove(0, tail.Length - tailChars);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return (false, tail.ToString());
        }
        catch (WebSocketException)
        {
            return (true, tail.ToString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pings.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Abort();
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
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
                await Task.Delay(TimeSpan.FromSeconds(5), _stop.Token);
                await SendAsync("""{"type":6}""");
            }
        }
        catch (Exception)
        {
            // Stopped, or the node closed the connection: either ends the pings.
        }
    }

    private async Task SendAsync(string json)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await _sendLock.WaitAsync(timeout.Token);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task<string> ReceiveUntilAsync(Func<string, bool> done)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        var received = new StringBuilder();
        var buffer = new byte[16 * 1024];
        while (!done(received.ToString()))
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The server closed the connection: {result.CloseStatus} {result.CloseStatusDescription}");
            }

            received.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        return received.ToString();
    }
}
