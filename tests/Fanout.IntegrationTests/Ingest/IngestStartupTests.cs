using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>A bad setting stops Ingest at start with a message that names the key (before any server is contacted).</summary>
public sealed class IngestStartupTests
{
    [Theory]
    [InlineData(null, null, "Ingest:ApiKeys must list at least one key")]
    [InlineData("ops", "too-short", "Ingest:ApiKeys:0:Key must be at least 16 characters")]
    [InlineData("", "0123456789abcdef", "Ingest:ApiKeys:0:Name is required")]
    public void StartingWithABadApiKeySettingFailsNamingIt(string? name, string? key, string message)
    {
        using var factory = new WebApplicationFactory<Fanout.Ingest.Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:rabbitmq", "amqp://guest:guest@127.0.0.1:1/");
            builder.UseSetting("ConnectionStrings:postgres", "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x");
            builder.UseSetting("Logging:LogLevel:Default", "None");
            if (name is not null)
            {
                builder.UseSetting("Ingest:ApiKeys:0:Name", name);
                builder.UseSetting("Ingest:ApiKeys:0:Key", key);
            }
        });

        var failure = Should.Throw<OptionsValidationException>(() => factory.CreateClient());

        failure.Message.ShouldContain(message);
    }
}
