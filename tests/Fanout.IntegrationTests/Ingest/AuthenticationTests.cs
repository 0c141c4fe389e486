using System.Net;
using System.Net.Http.Headers;
using static Fanout.IntegrationTests.Ingest.IngestRequests;

namespace Fanout.IntegrationTests.Ingest;

public sealed class AuthenticationTests(IngestAppFixture fixture) : IClassFixture<IngestAppFixture>
{
    public static TheoryData<string, string> Routes => new()
    {
        { "POST", "/v1/rooms/lobby/events" },
        { "GET", "/v1/rooms/lobby/events" },
        { "POST", "/v1/events" },
        { "POST", "/v1/broadcast" },
        { "GET", "/v1/no-such-route" },
        { "DELETE", "/v1/events" },
        { "GET", "/" },
        { "GET", "/metrics" },
        { "GET", "/health" },
        { "GET", "/health/other" },
        { "GET", "/health/live/more" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task EveryRouteWithoutAKeyAnswers401WithABearerChallenge(string method, string path)
    {
        using var client = fixture.CreateClient(apiKey: null);

        var response = await client.SendAsync(Request(method, path));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Authorization: Bearer");
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer realm=\"fanout\"");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task AWrongKeyAnswers401WithInvalidToken(string method, string path)
    {
        using var client = fixture.CreateClient(apiKey: "not-the-key-0123456789");

        var response = await client.SendAsync(Request(method, path));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "not valid");
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer realm=\"fanout\", error=\"invalid_token\"");
    }

    [Theory]
    [InlineData("Basic dGVzdDp0ZXN0")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData(IngestAppFixture.ApiKey)]
    public async Task AMalformedAuthorizationHeaderAnswers401(string header)
    {
        using var client = fixture.CreateClient(apiKey: null);
        var request = Request("GET", "/v1/rooms/lobby/events");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        var response = await client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer realm=\"fanout\"");
    }

    [Fact]
    public async Task AKeyIsRequiredBeforeTheBodyIsLookedAt()
    {
        using var client = fixture.CreateClient(apiKey: null);

        var response = await client.SendAsync(Post("/v1/rooms/lobby/events", "{not json", "text/plain"));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TheBearerSchemeNameIsCaseInsensitive()
    {
        using var client = fixture.CreateClient(apiKey: null);
        var request = Request("GET", "/v1/rooms/lobby/events");
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + IngestAppFixture.ApiKey);

        var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthEndpointsAreOpen(string path)
    {
        using var client = fixture.CreateClient(apiKey: null);

        var response = await client.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task MetricsNameKeysSoTheyNeedAKeyOnThePublicPort()
    {
        using var client = fixture.CreateClient();

        var response = await client.GetAsync("/metrics");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("# TYPE");
    }

    [Fact]
    public async Task AnUnknownRouteWithAValidKeyAnswers404()
    {
        using var client = fixture.CreateClient();

        var response = await client.GetAsync("/v2/rooms/lobby/events");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "No route matches /v2/rooms/lobby/events");
    }

    [Theory]
    [InlineData("DELETE", "/v1/events", "POST")]
    [InlineData("GET", "/v1/broadcast", "POST")]
    [InlineData("PUT", "/v1/rooms/lobby/events", "DELETE, GET, POST")]
    public async Task AnUnsupportedMethodAnswers405(string method, string path, string allowed)
    {
        using var client = fixture.CreateClient();

        var response = await client.SendAsync(Request(method, path));

        await response.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed, $"{method} is not allowed");
        string.Join(", ", response.Content.Headers.Allow.Order()).ShouldBe(allowed);
    }

    private static HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("""{"type":"t","data":1}""", new MediaTypeHeaderValue("application/json"));
        }

        return request;
    }
}
