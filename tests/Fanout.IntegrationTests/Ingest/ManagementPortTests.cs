using System.Net;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>Ingest with <c>Management:Port</c>: <c>/metrics</c> is served there only, with no key.</summary>
public sealed class ManagementPortTests(ManagementPortTests.Fixture fixture) : IClassFixture<ManagementPortTests.Fixture>
{
    public const int Port = 9464;

    [Fact]
    public async Task MetricsAreServedOnTheManagementPortWithoutAKey()
    {
        using var client = fixture.CreateClient(apiKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Host = $"localhost:{Port}";

        var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("# TYPE");
    }

    [Fact]
    public async Task MetricsAreNotServedOnThePublicPortEvenWithAKey()
    {
        using var client = fixture.CreateClient();

        var response = await client.GetAsync("/metrics");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    public sealed class Fixture : IngestAppFixture
    {
        protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
        {
            ["Management:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
