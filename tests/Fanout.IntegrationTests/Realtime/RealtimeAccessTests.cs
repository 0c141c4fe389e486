using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Fanout.Testing;
using Fanout.Testing.SignalR;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.IntegrationTests.Realtime;

/// <summary>RS256 / ES256 tokens, room permissions, limits, CORS and token expiry on the real client edge.</summary>
public sealed class RealtimeAccessTests(AccessEdgeServer edge) : IClassFixture<AccessEdgeServer>
{
    private static readonly TimeSpan Timeout = Eventually.DefaultTimeout;

    private static readonly Dictionary<string, object> NoPermissions = [];

    private EdgeServer Server => edge.Server;

    [Fact]
    public async Task Rs256TokenSignedWithTheConfiguredKeyConnects()
    {
        await using var connection = await StartAsync(TestTokens.Create("rsa-user", edge.RsaCredentials));

        (await Eventually.WithinAsync(connection.InvokeAsync<string>("WhoAmI"), "WhoAmI")).ShouldStartWith("rsa-user|");
    }

    [Fact]
    public async Task Es256TokenSignedWithTheKeyFromAFileConnects()
    {
        await using var connection = await StartAsync(TestTokens.Create("ec-user", edge.EcCredentials));

        (await Eventually.WithinAsync(connection.InvokeAsync<string>("WhoAmI"), "WhoAmI")).ShouldStartWith("ec-user|");
    }

    [Fact]
    public async Task Rs256TokenOfAnotherKeyIsRefusedWith401()
    {
        using var other = RSA.Create(2048);
        var token = TestTokens.Create("user-1", new SigningCredentials(new RsaSecurityKey(other), SecurityAlgorithms.RsaSha256));

        await NegotiateRefusedAsync(token, "the access token signature does not verify");
    }

    [Fact]
    public async Task Hs256TokenKeyedWithThePublicRsaKeyIsRefused()
    {
        // Algorithm confusion: the public key's PEM (or its DER) used as an HMAC secret.
        var pem = edge.Rsa.ExportSubjectPublicKeyInfoPem();
        var byPem = TestTokens.Create("attacker", pem);
        var byDer = TestTokens.Create("attacker", new SigningCredentials(
            new SymmetricSecurityKey(edge.Rsa.ExportSubjectPublicKeyInfo()), SecurityAlgorithms.HmacSha256));

        await NegotiateRefusedAsync(byPem, "the access token signature does not verify");
        await NegotiateRefusedAsync(byDer, "the access token signature does not verify");
    }

    [Fact]
    public async Task AlgNoneIsRefusedNamingTheConfiguredAlgorithms()
    {
        static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = $"{Encode("""{"alg":"none"}""")}.{Encode($$"""{"sub":"u","exp":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}""")}.";

        await NegotiateRefusedAsync(token, "the access token must be signed with ES256 or HS256 or RS256");
    }

    [Fact]
    public async Task SubscribeAndPublishFollowTheirOwnClaimsAndARefusalKeepsTheConnectionOpen()
    {
        await using var connection = await StartAsync(AccessEdgeServer.TokenWith("user-s", new Dictionary<string, object>
        {
            ["subscribe"] = new[] { "chat:*" },
            ["publish"] = new[] { "news:1" },
        }));

        (await Invoke(connection, "Subscribe", "chat:lobby")).ShouldStartWith("chat:lobby|");
        (await RefusedAsync(connection, "Subscribe", "news:1")).ShouldEndWith("HubException: 103: Subscribe: not allowed to subscribe to room 'news:1'");
        (await RefusedAsync(connection, "Publish", "chat:lobby", "msg", 1)).ShouldEndWith("HubException: 103: Publish: not allowed to publish to room 'chat:lobby'");
        (await connection.InvokeAsync<int>("Publish", "news:1", "msg", 1).WaitAsync(Timeout)).ShouldBe(1);
        connection.State.ShouldBe(HubConnectionState.Connected);
    }

    [Fact]
    public async Task RoomsClaimGrantsBothAndATokenWithoutClaimsHasOnlyItsPersonalRoom()
    {
        await using var granted = await StartAsync(AccessEdgeServer.TokenWith("user-r", new Dictionary<string, object> { ["rooms"] = new[] { "team:7:*" } }));
        await using var bare = await StartAsync(AccessEdgeServer.TokenWith("42", NoPermissions));

        (await Invoke(granted, "Subscribe", "team:7:general")).ShouldStartWith("team:7:general|");
        (await granted.InvokeAsync<int>("Publish", "team:7:general", "msg", 1).WaitAsync(Timeout)).ShouldBe(1);
        (await RefusedAsync(granted, "Subscribe", "team:8:general")).ShouldEndWith("Subscribe: not allowed to subscribe to room 'team:8:general'");
        (await Invoke(bare, "Subscribe", "user:42")).ShouldStartWith("user:42|");
        (await bare.InvokeAsync<int>("Publish", "user:42", "msg", 1).WaitAsync(Timeout)).ShouldBe(1);
        (await RefusedAsync(bare, "Subscribe", "user:43")).ShouldEndWith("Subscribe: not allowed to subscribe to room 'user:43'");
        (await RefusedAsync(bare, "Publish", "chat:lobby", "msg", 1)).ShouldEndWith("Publish: not allowed to publish to room 'chat:lobby'");
    }

    [Fact]
    public async Task PublishOverTheRateLimitIsRefusedWithARetryTimeThenWorksAgain()
    {
        await using var connection = await StartAsync(EdgeServer.TokenFor("user-rate"));
        for (var i = 0; i < 3; i++)
        {
            await connection.InvokeAsync<int>("Publish", "room-1", "msg", i).WaitAsync(Timeout);
        }

        var refused = await RefusedAsync(connection, "Publish", "room-1", "msg", 4);

        refused.ShouldMatch(@"HubException: 111 temporary: Publish: rate limit exceeded; retry in \d+ ms$");
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                await connection.InvokeAsync<int>("Publish", "room-1", "msg", 5).WaitAsync(Timeout);
                return true;
            }
            catch (HubException)
            {
                return false;
            }
        }, "Publish works again once the bucket refilled");
    }

    [Fact]
    public async Task SubscriptionsBeyondTheMostPerConnectionAreRefusedUntilOneIsGivenUp()
    {
        await using var connection = await StartAsync(EdgeServer.TokenFor("user-subs"));
        foreach (var room in new[] { "a", "b", "c", "a" })
        {
            await Invoke(connection, "Subscribe", room);
        }

        (await RefusedAsync(connection, "Subscribe", "d")).ShouldEndWith(
            "Subscribe: the connection already holds 3 subscriptions, the limit (Realtime:Limits:MaxSubscriptionsPerConnection); unsubscribe from a room first");
        await Invoke(connection, "Unsubscribe", "a");
        (await Invoke(connection, "Subscribe", "d")).ShouldStartWith("d|");
    }

    [Fact]
    public async Task ConnectionsBeyondTheMostPerUserAreClosedWithTheReason()
    {
        await using var first = await StartAsync(EdgeServer.TokenFor("user-conns"));
        await using var second = await StartAsync(EdgeServer.TokenFor("user-conns"));
        await using var third = Server.Connect(EdgeServer.TokenFor("user-conns"));
        var closed = ClosedAsync(third);

        await third.StartAsync().WaitAsync(Timeout);

        (await closed.WaitAsync(Timeout))!.Message.ShouldContain("too many connections: user 'user-conns' already holds 2 on this node");
        await first.StopAsync().WaitAsync(Timeout);
        await Eventually.HoldsAsync(async () =>
        {
            await using var again = await StartAsync(EdgeServer.TokenFor("user-conns"));
            try
            {
                await again.InvokeAsync<string>("WhoAmI").WaitAsync(TimeSpan.FromSeconds(2));
                return true;
            }
            catch (Exception ex) when (ex is HubException or InvalidOperationException or TaskCanceledException or TimeoutException)
            {
                return false;
            }
        }, "a connection is accepted again once one closed");
    }

    [Fact]
    public async Task ConnectionIsClosedWithTheReasonTokenExpiredWhenItsTokenExpires()
    {
        await using var connection = Server.Connect(EdgeServer.TokenFor("user-exp", TimeSpan.FromSeconds(2)));
        var closed = ClosedAsync(connection);
        await connection.StartAsync().WaitAsync(Timeout);

        var error = await closed.WaitAsync(Timeout);

        error.ShouldNotBeNull().Message.ShouldBe("The server closed the connection with the following error: token expired");
    }

    [Fact]
    public async Task NegotiatePreflightFromAnAllowedOriginGetsCorsHeadersWithCredentials()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseUrl, Timeout = Timeout };

        using var allowed = await http.SendAsync(Preflight(AccessEdgeServer.AllowedOrigin));
        using var other = await http.SendAsync(Preflight("https://evil.example.com"));
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, NegotiatePath());
        negotiate.Headers.Add("Origin", AccessEdgeServer.AllowedOrigin);
        negotiate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", EdgeServer.TokenFor("user-cors"));
        using var negotiated = await http.SendAsync(negotiate);

        allowed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        allowed.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([AccessEdgeServer.AllowedOrigin]);
        allowed.Headers.GetValues("Access-Control-Allow-Credentials").ShouldBe(["true"]);
        allowed.Headers.GetValues("Access-Control-Allow-Headers").Single().ToLowerInvariant().ShouldContain("authorization");
        other.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        negotiated.StatusCode.ShouldBe(HttpStatusCode.OK);
        negotiated.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([AccessEdgeServer.AllowedOrigin]);
        negotiated.Headers.GetValues("Access-Control-Allow-Credentials").ShouldBe(["true"]);
    }

    private async Task<HubConnection> StartAsync(string token)
    {
        var connection = Server.Connect(token);
        await connection.StartAsync().WaitAsync(Timeout);
        return connection;
    }

    private static Task<Exception?> ClosedAsync(HubConnection connection)
    {
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    private static Task<string> Invoke(HubConnection connection, string method, string room) =>
        connection.InvokeAsync<string>(method, room).WaitAsync(Timeout);

    private static async Task<string> RefusedAsync(HubConnection connection, string method, params object[] arguments)
    {
        var refused = await Should.ThrowAsync<HubException>(connection.InvokeCoreAsync<object>(method, arguments).WaitAsync(Timeout));
        connection.State.ShouldBe(HubConnectionState.Connected);
        return refused.Message;
    }

    private async Task NegotiateRefusedAsync(string token, string reason)
    {
        using var http = new HttpClient { BaseAddress = Server.BaseUrl, Timeout = Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Post, NegotiatePath());
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldBe($"Bearer error=\"invalid_token\", error_description=\"{reason}\"");
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, NegotiatePath());
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,x-requested-with,x-signalr-user-agent");
        return request;
    }

    private static string NegotiatePath() => $"{EdgeServer.HubPath.TrimStart('/')}/negotiate?negotiateVersion=1";
}
