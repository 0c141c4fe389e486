using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fanout.IntegrationTests.Ingest;

namespace Fanout.IntegrationTests.WebConsole;

/// <summary>
/// The web console and the demo page as Ingest serves them: open without an API key (the console asks for one), with a
/// strict Content-Security-Policy, while every API route still needs the key; no demo tokens outside Development.
/// </summary>
public sealed class WebConsoleTests(IngestAppFixture fixture) : IClassFixture<IngestAppFixture>
{
    [Theory]
    [InlineData("/console/", "text/html")]
    [InlineData("/console/console.js", "text/javascript")]
    [InlineData("/console/fanout.css", "text/css")]
    [InlineData("/console/lib/fanout-client.js", "text/javascript")]
    [InlineData("/demo/", "text/html")]
    [InlineData("/demo/demo.js", "text/javascript")]
    [InlineData("/demo/lib/fanout-client.js", "text/javascript")]
    public async Task ThePagesAreServedWithoutAKeyWithAStrictContentSecurityPolicy(string path, string mediaType)
    {
        using var client = fixture.CreateClient(apiKey: null);

        var response = await client.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(mediaType);
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        policy.ShouldStartWith("default-src 'none'; script-src 'self'; style-src 'self';");
        policy.ShouldNotContain("unsafe");
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
        response.Headers.ETag.ShouldNotBeNull();
    }

    [Fact]
    public async Task AFileIsAnswered304WhileItsETagMatches()
    {
        using var client = fixture.CreateClient(apiKey: null);
        var first = await client.GetAsync("/console/console.js");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/console/console.js");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        var second = await client.SendAsync(request);

        second.StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task TheApiStillNeedsTheKeyAndAKeySentToThePagesChangesNothing()
    {
        using var anonymous = fixture.CreateClient(apiKey: null);
        using var wrongKey = fixture.CreateClient(apiKey: "not-the-key-0123456789");

        (await anonymous.GetAsync("/v1/nodes")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/v1/rooms/chat:lobby/events")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/consoles")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await wrongKey.GetAsync("/console/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await wrongKey.GetAsync("/v1/rooms/chat:lobby/events")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ThePathWithoutItsSlashRedirectsAndAnUnknownFileIs404()
    {
        using var client = fixture.CreateClient(apiKey: null);

        var redirect = await client.GetAsync("/console");
        var missing = await client.GetAsync("/console/no-such-file.js");

        redirect.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        redirect.Headers.Location!.ToString().ShouldBe("/console/");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheConfigurationTellsThePagesTheSameOriginHubAndThatDemoTokensAreOff()
    {
        using var client = fixture.CreateClient(apiKey: null);

        var config = await client.GetFromJsonAsync<JsonElement>("/console/config.json");

        config.GetProperty("hubUrls").EnumerateArray().Select(u => u.GetString()).ShouldBe(["/hubs/rooms"]);
        config.GetProperty("demoTokens").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task DemoTokensAre404OutsideDevelopment()
    {
        using var client = fixture.CreateClient(apiKey: null);

        var response = await client.PostAsJsonAsync("/demo/token", new { name = "Ada" });

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "only in the Development environment");
    }
}

public sealed class WebConsoleProductionTests(ProductionIngestAppFixture fixture) : IClassFixture<ProductionIngestAppFixture>
{
    [Fact]
    public async Task InProductionWithTheSigningKeySetDemoTokensAre404AndThePagesStillWork()
    {
        using var client = fixture.CreateClient(apiKey: null);

        var token = await client.PostAsJsonAsync("/demo/token", new { name = "Ada" });
        var page = await client.GetAsync("/demo/");

        await token.ShouldBeProblemAsync(HttpStatusCode.NotFound, "only in the Development environment");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
