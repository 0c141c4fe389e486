using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Fanout.HubProtocol;
using Fanout.Testing;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>
/// A SignalR client written against the transport protocol with plain HTTP requests, for what the .NET client here
/// cannot do (it has only a WebSocket transport and skips negotiate): <c>POST {hub}/negotiate?negotiateVersion=1</c>,
/// then long polling (<c>GET {hub}?id=</c> in a loop, sends as <c>POST {hub}?id=</c>) or server-sent events (one
/// streaming <c>GET {hub}?id=</c>). JSON hub protocol (<see cref="HubRecords"/>). It records the status of every request it made.
/// </summary>
internal sealed class RawHubClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _hubUrl;
    private readonly string _accessToken;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<JsonElement> _events = [];
    private readonly List<(string Request, HttpStatusCode Status)> _requests = [];
    private readonly Dictionary<string, TaskCompletionSource<JsonElement>> _pending = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _receiving;
    private int _invocationId;
    private bool _longPolling;

    private RawHubClient(HttpClient http, Uri hubUrl, string accessToken, string connectionToken, IReadOnlyList<string> transports)
    {
        _http = http;
        _hubUrl = hubUrl;
        _accessToken = accessToken;
        ConnectionToken = connectionToken;
        Transports = transports;
    }

    /// <summary>The <c>connectionToken</c> of the negotiate response: the <c>?id=</c> of every later request.</summary>
    public string ConnectionToken { get; }

    /// <summary>The transports the negotiate response offered.</summary>
    public IReadOnlyList<string> Transports { get; }

    /// <summary>Why the receive loop ended, when it ended by itself.</summary>
    public string? Failure { get; private set; }

    /// <summary>Every request after the negotiate and its status code, in order.</summary>
    public IReadOnlyList<(string Request, HttpStatusCode Status)> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public Uri ConnectionUrl => ConnectionUrlOn(_hubUrl);

    /// <summary>This connection's URL on another host (e.g. a realtime node directly).</summary>
    public Uri ConnectionUrlOn(Uri hubUrl) => new($"{hubUrl}?id={Uri.EscapeDataString(ConnectionToken)}");

    /// <summary>An HTTP client whose connections leave from <paramref name="source"/> (any 127.x.y.z works on Linux).</summary>
    public static HttpClient CreateHttpClient(IPAddress source) =>
        new(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        {
            Timeout = TimeSpan.FromMinutes(3),
        };

    /// <summary><c>POST {hub}/negotiate?negotiateVersion=1</c> with the access token.</summary>
    public static async Task<RawHubClient> NegotiateAsync(HttpClient http, Uri hubUrl, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{hubUrl}/negotiate?negotiateVersion=1"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await Eventually.WithinAsync(http.SendAsync(request), "negotiate");
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"negotiate answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var transports = root.GetProperty("availableTransports").EnumerateArray().Select(t => t.GetProperty("transport").GetString()!).ToList();
        return new RawHubClient(http, hubUrl, accessToken, root.GetProperty("connectionToken").GetString()!, transports);
    }

    /// <summary>Long polling: the first poll (answered at once), the handshake, then a poll loop in the background.</summary>
    public async Task StartLongPollingAsync()
    {
        _longPolling = true;
        using (var first = await SendAsync(HttpMethod.Get, content: null, "first poll"))
        {
            first.EnsureSuccessStatusCode();
        }

        _receiving = Task.Run(PollAsync);
        await HandshakeAsync();
    }

    /// <summary>Server-sent events: one streaming GET read in the background, then the handshake.</summary>
    public async Task StartServerSentEventsAsync()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, ConnectionUrl);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await Eventually.WithinAsync(_http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token), "SSE stream");
        Record("GET sse", response.StatusCode);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            response.Dispose();
            request.Dispose();
            throw new HttpRequestException($"SSE GET answered {(int)response.StatusCode}");
        }

        _receiving = Task.Run(async () =>
        {
            using (request)
            using (response)
            {
                await ReadEventStreamAsync(response);
            }
        });
        await HandshakeAsync();
    }

    /// <summary>Invokes a hub method and returns its result (fails on a hub error).</summary>
    public async Task<JsonElement> InvokeAsync(string target, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _invocationId).ToString(CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
        {
            _pending[id] = completion;
        }

        await SendMessageAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }));
        var result = await Eventually.WithinAsync(completion.Task, $"{target} completes (receive loop: {Failure ?? "running"})");
        return result.TryGetProperty("error", out var error)
            ? throw new InvalidOperationException($"{target} failed: {error.GetString()}")
            : result.TryGetProperty("result", out var value) ? value.Clone() : default;
    }

    /// <summary>The <c>event</c> messages received so far whose room is <paramref name="room"/>.</summary>
    public IReadOnlyList<JsonElement> Events(string room)
    {
        lock (_events)
        {
            return _events.Where(e => e.GetProperty("room").GetString() == room).ToList();
        }
    }

    public Task WaitForEventsAsync(string room, int count) =>
        Eventually.HoldsAsync(() => Events(room).Count >= count,
            $"{count} events of {room} arrive (has {Events(room).Count}; receive loop: {Failure ?? "running"})");

    public async ValueTask DisposeAsync()
    {
        if (_longPolling && Failure is null)
        {
            try
            {
                // Ends a long-polling connection on the node (its pending poll answers 204).
                using var _ = await SendAsync(HttpMethod.Delete, content: null, "DELETE");
            }
            catch (HttpRequestException)
            {
                // Gone already.
            }
        }

        await _stop.CancelAsync();
        if (_receiving is not null)
        {
            await Task.WhenAny(_receiving, Task.Delay(TimeSpan.FromSeconds(5)));
        }

        _stop.Dispose();
    }

    private async Task HandshakeAsync()
    {
        await SendMessageAsync(HubRecords.HandshakeRequest);
        await Eventually.WithinAsync(_handshake.Task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default),
            "handshake response");
    }

    private async Task SendMessageAsync(string json)
    {
        using var content = new StringContent(json + HubRecords.RecordSeparatorChar, Encoding.UTF8, "text/plain");
        using var response = await SendAsync(HttpMethod.Post, content, "POST send");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"send answered {(int)response.StatusCode}");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, HttpContent? content, string what)
    {
        using var request = new HttpRequestMessage(method, ConnectionUrl) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken);
        var response = await _http.SendAsync(request, _stop.Token);
        Record(what, response.StatusCode);
        return response;
    }

    private async Task PollAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var response = await SendAsync(HttpMethod.Get, content: null, "GET poll");
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    Failure = "the node closed the connection (204)";
                    return;
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Failure = $"a poll answered {(int)response.StatusCode}";
                    return;
                }

                Dispatch(await response.Content.ReadAsStringAsync(_stop.Token));
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            Failure = e.Message;
        }
    }

    private async Task ReadEventStreamAsync(HttpResponseMessage response)
    {
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Append(line.AsSpan(5).TrimStart(' ')).Append('\n');
                }
                else if (line.Length == 0 && data.Length > 0)
                {
                    Dispatch(data.ToString(0, data.Length - 1));
                    data.Clear();
                }
            }

            Failure = "the event stream ended";
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            Failure = e.Message;
        }
    }

    private void Dispatch(string payload)
    {
        foreach (var record in HubRecords.Split(payload))
        {
            using var json = JsonDocument.Parse(record);
            var message = json.RootElement;
            if (!message.TryGetProperty("type", out var type))
            {
                // The handshake response: {} or {"error": "..."}.
                if (message.TryGetProperty("error", out var error))
                {
                    _handshake.TrySetException(new InvalidOperationException($"handshake refused: {error.GetString()}"));
                }
                else
                {
                    _handshake.TrySetResult();
                }

                continue;
            }

            switch (type.GetInt32())
            {
                case 1 when message.GetProperty("target").GetString() == "event":
                    lock (_events)
                    {
                        _events.Add(message.GetProperty("arguments")[0].Clone());
                    }

                    break;
                case 3:
                    TaskCompletionSource<JsonElement>? pending;
                    lock (_pending)
                    {
                        _pending.Remove(message.GetProperty("invocationId").GetString()!, out pending);
                    }

                    pending?.TrySetResult(message.Clone());
                    break;
                case 7:
                    Failure = "the node sent Close";
                    break;
            }
        }
    }

    private void Record(string what, HttpStatusCode status)
    {
        lock (_requests)
        {
            _requests.Add((what, status));
        }
    }
}
