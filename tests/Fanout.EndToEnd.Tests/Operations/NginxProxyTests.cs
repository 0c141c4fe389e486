using System.Net;
using System.Net.Http.Headers;
using Fanout.Client;
using Fanout.Contracts.Wire;
using Fanout.Testing;
using Fanout.Testing.SignalR;
using Fanout.Testing.Stack;
using Microsoft.AspNetCore.SignalR.Client;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>
/// compose/nginx.conf as a real nginx in front of two real realtime nodes: WebSockets with and without negotiate,
/// server-sent events and long polling through it, each connection staying on the node that negotiated it.
/// </summary>
public sealed class NginxProxyTests(NginxStackFixture fixture) : IClassFixture<NginxStackFixture>
{
    private static string NewRoom(string name) => $"ops:{name}:{Guid.NewGuid():N}";

    private static string NewToken() => TestTokens.Create($"user-{Guid.NewGuid():N}"[..13], FanoutStack.SigningKey);

    [Fact]
    public async Task HealthEndpointsPassThroughToTheRealtimeNodes()
    {
        using var http = new HttpClient { BaseAddress = fixture.Nginx.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        (await http.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetStringAsync("/nginx-health")).ShouldBe("ok\n");
        (await http.GetAsync("/v1/nodes")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "only the hub and health are proxied");
    }

    [Fact]
    public async Task AClientThatSkipsNegotiationGetsEventsPublishedViaIngestOverAWebSocketThroughNginx()
    {
        var room = NewRoom("ws");
        var token = NewToken();
        await using var connection = FanoutHubConnections.Create(fixture.Nginx.HubUrl, () => Task.FromResult<string?>(token));
        var received = new List<RoomEvent>();
        connection.On<RoomEvent>("event", e =>
        {
            lock (received)
            {
                received.Add(e);
            }
        });
        await Eventually.WithinAsync(connection.StartAsync().ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default),
            "WebSocket connect through nginx");
        await Eventually.WithinAsync(connection.InvokeAsync<SubscribeResult>("Subscribe", room, null, null), "Subscribe");

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await fixture.Ingest.PublishAsync(room, "msg", new { i }));
        }

        await Eventually.HoldsAsync(() => { lock (received) { return received.Count >= 3; } }, "3 events arrive through nginx");
        lock (received)
        {
            received.Select(e => e.Id.ToString()).ShouldBe(ids);
        }
    }

    [Fact]
    public async Task NegotiateThenWebSocketThroughNginxReachesTheNodeThatNegotiatedAndDeliversEvents()
    {
        var room = NewRoom("negotiated-ws");
        var token = NewToken();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await using var negotiated = await RawHubClient.NegotiateAsync(http, fixture.Nginx.HubUrl, token);
        negotiated.Transports.ShouldContain("WebSockets");

        // The WebSocket request carries the negotiated ?id=, and the token in its Authorization header (the Fanout client's factory).
        await using var connection = FanoutHubConnections.Create(negotiated.ConnectionUrl, () => Task.FromResult<string?>(token));
        var received = new List<RoomEvent>();
        connection.On<RoomEvent>("event", e =>
        {
            lock (received)
            {
                received.Add(e);
            }
        });
        await Eventually.WithinAsync(connection.StartAsync().ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default),
            "WebSocket with the negotiated id through nginx (a 404 means it reached the other node)");
        await Eventually.WithinAsync(connection.InvokeAsync<SubscribeResult>("Subscribe", room, null, null), "Subscribe");
        await fixture.Ingest.PublishAsync(room, "msg", new { text = "hello" });
        await Eventually.HoldsAsync(() => { lock (received) { return received.Count == 1; } }, "the event arrives over the negotiated WebSocket");

        // nginx logs the upgrade (101) when the WebSocket closes: it went to the node that answered the negotiate.
        await connection.StopAsync();
        var mine = await LoggedAsync("127.0.0.1", entries => entries.Any(e => e.Method == "GET" && e.Status == 101));
        var hub = mine.Where(e => e.Uri.StartsWith("/hubs/rooms", StringComparison.Ordinal)).ToList();
        hub.ShouldContain(e => e.Method == "POST" && e.Uri == "/hubs/rooms/negotiate" && e.Status == 200);
        hub.Select(e => e.Upstream).Distinct().Count().ShouldBe(1, "every hub request from one address goes to one node");
    }

    [Fact]
    public async Task LongPollingThroughNginxSticksEachClientToOneNodeAndClientsSpreadOverBothNodes()
    {
        var room = NewRoom("long-polling");
        var clients = new List<(IPAddress Address, HttpClient Http, RawHubClient Hub)>();
        try
        {
            // Clients from different loopback addresses until both nodes have some (the hash is on the address).
            for (var i = 2; i < 40 && (clients.Count < 4 || (await ServedByAsync(clients.Select(c => c.Address))).Distinct().Count() < 2); i++)
            {
                var address = IPAddress.Parse($"127.0.3.{i}");
                var http = RawHubClient.CreateHttpClient(address);
                var hub = await RawHubClient.NegotiateAsync(http, fixture.Nginx.HubUrl, NewToken());
                clients.Add((address, http, hub));
                hub.Transports.ShouldContain("LongPolling");
                await hub.StartLongPollingAsync();
                await hub.InvokeAsync("Subscribe", room, null, null);
            }

            (await ServedByAsync(clients.Select(c => c.Address))).Distinct().Count().ShouldBe(2, "clients from different addresses are spread over both nodes");

            for (var i = 0; i < 3; i++)
            {
                await fixture.Ingest.PublishAsync(room, "msg", new { i });
            }

            foreach (var client in clients)
            {
                await client.Hub.WaitForEventsAsync(room, 3);
            }

            // Every request of every client (first poll, handshake and Subscribe sends, polls) was answered by the node
            // that created its connection: any other node answers 404 for an id it does not know.
            foreach (var client in clients)
            {
                client.Hub.Requests.ShouldAllBe(r => r.Status == HttpStatusCode.OK, $"requests of {client.Address}");
                var entries = await LoggedAsync(client.Address.ToString(), logged => logged.Count(e => e.Method == "GET") >= 2);
                entries.ShouldContain(e => e.Uri == "/hubs/rooms/negotiate");
                entries.Select(e => e.Upstream).Distinct().Count().ShouldBe(1, $"every request of {client.Address} went to one node");
                entries.ShouldAllBe(e => e.Status == 200);
            }

            // Why stickiness is needed: the other node does not know the connection.
            var first = clients[0];
            var served = fixture.NodeAt((await ServedByAsync([first.Address])).Single());
            var other = fixture.Stack.Nodes.Single(n => n != served);
            using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var request = new HttpRequestMessage(HttpMethod.Get, first.Hub.ConnectionUrlOn(fixture.Stack.HubUrl(fixture.Stack.Nodes.ToList().IndexOf(other))));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", NewToken());
            (await direct.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.Hub.DisposeAsync();
                client.Http.Dispose();
            }
        }
    }

    [Fact]
    public async Task ServerSentEventsThroughNginxStreamEventsOnTheNodeThatNegotiated()
    {
        var room = NewRoom("sse");
        var address = IPAddress.Parse("127.0.4.1");
        using var http = RawHubClient.CreateHttpClient(address);
        await using var hub = await RawHubClient.NegotiateAsync(http, fixture.Nginx.HubUrl, NewToken());
        hub.Transports.ShouldContain("ServerSentEvents");
        await hub.StartServerSentEventsAsync();
        await hub.InvokeAsync("Subscribe", room, null, null);

        for (var i = 0; i < 3; i++)
        {
            await fixture.Ingest.PublishAsync(room, "msg", new { i });
            // Each event arrives on the one stream, which stays open. (This alone does not show proxy_buffering off:
            // nginx 1.22 passes these small writes on promptly either way; NginxConfigTests checks the directive.)
            await hub.WaitForEventsAsync(room, i + 1);
        }

        hub.Requests.ShouldAllBe(r => r.Status == HttpStatusCode.OK);
        // The stream is still open, so only the negotiate and the sends are logged yet: all on one node.
        var entries = await LoggedAsync(address.ToString(), logged => logged.Count(e => e.Method == "POST" && e.Uri == "/hubs/rooms") >= 2);
        entries.ShouldContain(e => e.Uri == "/hubs/rooms/negotiate");
        entries.Select(e => e.Upstream).Distinct().Count().ShouldBe(1);
    }

    /// <summary>
    /// The access log entries of one client address once <paramref name="complete"/> holds for them (nginx writes a
    /// line when a request has finished, a moment after the client saw the response).
    /// </summary>
    private async Task<IReadOnlyList<AccessLogEntry>> LoggedAsync(string client, Func<IReadOnlyList<AccessLogEntry>, bool> complete)
    {
        IReadOnlyList<AccessLogEntry> entries = [];
        await Eventually.HoldsAsync(
            () =>
            {
                entries = fixture.Nginx.ReadAccessLog().Where(e => e.Client == client).ToList();
                return complete(entries);
            },
            $"the access log has the requests of {client}",
            TimeSpan.FromSeconds(10));
        return entries;
    }

    /// <summary>The node (upstream address) that answered the negotiate of each client address.</summary>
    private async Task<IReadOnlyList<string>> ServedByAsync(IEnumerable<IPAddress> addresses)
    {
        var served = new List<string>();
        foreach (var address in addresses)
        {
            var entries = await LoggedAsync(address.ToString(), logged => logged.Any(e => e.Uri == "/hubs/rooms/negotiate"));
            served.Add(entries.First(e => e.Uri == "/hubs/rooms/negotiate").Upstream!);
        }

        return served;
    }
}
