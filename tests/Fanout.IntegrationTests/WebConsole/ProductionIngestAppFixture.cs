using Fanout.IntegrationTests.Ingest;
using Microsoft.AspNetCore.Hosting;

namespace Fanout.IntegrationTests.WebConsole;

/// <summary>Ingest in the Production environment, with the nodes' signing key set: still no demo tokens.</summary>
public sealed class ProductionIngestAppFixture : IngestAppFixture
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["Auth:Jwt:SigningKey"] = "production-test-signing-key-0123456789-abcdef",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseEnvironment("Production");
}
