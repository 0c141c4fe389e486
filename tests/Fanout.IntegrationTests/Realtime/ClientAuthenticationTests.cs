using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Fanout.Testing;
using Fanout.Testing.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Fanout.IntegrationTests.Realtime;

public sealed class ClientAuthenticationTests(EdgeServer server) : IClassFixture<EdgeServer>
{
    private static readonly TimeSpan Timeout = Eventually.DefaultTimeout;

    [Fact]
    public async Task AnonymousConnectionIsRefusedWith401AtTheWebSocketUpgrade()
    {
        await using var connection = server.Connect(token: null);

        var refused = await Should.ThrowAsync<Exception>(connection.StartAsync().WaitAsync(Timeout));

        refused.Message.ShouldContain("401");
        connection.State.ShouldBe(HubConnectionState.Disconnected);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("wrong key")]
    [InlineData("alg none")]
    [InlineData("not a jwt")]
    public async Task BadTokenIsRefusedWith401AtTheWebSocketUpgrade(string kind)
    {
        await using var connection = server.Connect(BadToken(kind));

        var refused = await Should.ThrowAsync<Exception>(connection.StartAsync().WaitAsync(Timeout));

        refused.Message.ShouldContain("401");
    }

    [Fact]
    public async Task ValidTokenConnectsWithItsSubAsTheUserIdAndKeepsOnlyTheClaimsTheNodeReads()
    {
        // The token also has iat and nbf, which were checked once and are not kept.
        await using var connection = await server.StartAsync("user-42");

        var identity = await Eventually.WithinAsync(connection.InvokeAsync<string>("WhoAmI"), "WhoAmI");

        identity.ShouldBe("user-42|user-42|exp,rooms,sub");
    }

    [Fact]
    public async Task AHubConnectionsRequestKeepsNothingOfTheAuthenticationMiddleware()
    {
        // A WebSocket request lives as long as its connection: what the middleware leave on it (handlers, results,
        // tickets) is kept per connection. The hub's requests are authenticated by the token alone; this fails if the
        // middleware run on them again (WebApplication adds them to every request unless the app has added them).
        await using var connection = await server.StartAsync("user-7");

        var state = await Eventually.WithinAsync(connection.InvokeAsync<string>("AuthenticationStateOfTheRequest"), "AuthenticationStateOfTheRequest");

        state.ShouldBe("authentication feature: False, authenticate result: False, authorization ran: False");
    }

    [Fact]
    public async Task TokenProviderIsAskedAgainOnEveryConnect()
    {
        var asked = 0;
        await using var connection = TestHubConnections.Create(server.HubUrl, () =>
        {
            Interlocked.Increment(ref asked);
            return Task.FromResult<string?>(EdgeServer.TokenFor($"user-{asked}"));
        });

        await connection.StartAsync().WaitAsync(Timeout);
        await connection.StopAsync().WaitAsync(Timeout);
        await connection.StartAsync().WaitAsync(Timeout);

        asked.ShouldBe(2);
        (await Eventually.WithinAsync(connection.InvokeAsync<string>("WhoAmI"), "WhoAmI")).ShouldStartWith("user-2|");
    }

    [Fact]
    public async Task NegotiateWithoutTokenIs401WithABearerChallenge()
    {
        using var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = Timeout };

        using var response = await http.PostAsync(NegotiatePath(), content: null);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
    }

    [Theory]
    [InlineData("expired", "the access token has expired")]
    [InlineData("wrong key", "the access token signature does not verify")]
    [InlineData("alg none", "the access token must be signed with HS256")]
    public async Task NegotiateWithBadTokenIs401SayingWhy(string kind, string reason)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Post, NegotiatePath());
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BadToken(kind));

        using var response = await http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldBe($"Bearer error=\"invalid_token\", error_description=\"{reason}\"");
    }

    [Fact]
    public async Task NegotiateAcceptsTheTokenInTheHeaderOrInTheQuery()
    {
        using var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = Timeout };
        var token = EdgeServer.TokenFor("user-7");
        using var request = new HttpRequestMessage(HttpMethod.Post, NegotiatePath());
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var byHeader = await http.SendAsync(request);
        using var byQuery = await http.PostAsync($"{NegotiatePath()}&access_token={Uri.EscapeDataString(token)}", content: null);

        byHeader.StatusCode.ShouldBe(HttpStatusCode.OK);
        byQuery.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task WithoutAllowedOriginsNegotiateAnswersNoCorsHeaders()
    {
        using var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = Timeout };
        using var preflight = new HttpRequestMessage(HttpMethod.Options, NegotiatePath());
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, NegotiatePath());
        negotiate.Headers.Add("Origin", "https://app.example.com");
        negotiate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", EdgeServer.TokenFor("user-7"));

        using var preflighted = await http.SendAsync(preflight);
        using var negotiated = await http.SendAsync(negotiate);

        preflighted.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        negotiated.StatusCode.ShouldBe(HttpStatusCode.OK);
        negotiated.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    private static string NegotiatePath() => $"{EdgeServer.HubPath.TrimStart('/')}/negotiate?negotiateVersion=1";

    private static string BadToken(string kind) => kind switch
    {
        "expired" => EdgeServer.TokenFor("user-1", TimeSpan.FromMinutes(-5)),
        "wrong key" => TestTokens.Create("user-1", "another-signing-key-0123456789abcdefgh"),
        "alg none" => UnsignedToken("user-1"),
        "not a jwt" => "not-a-jwt",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown kind of bad token"),
    };

    private static string UnsignedToken(string sub)
    {
        static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"{Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Encode($"{{\"sub\":\"{sub}\",\"exp\":{exp}}}")}.";
    }
}
