using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>A bad setting stops Ingest at start with a message that names the key (before any server is contacted).</summary>
public sealed class IngestStartupTests
{
    [Theory]
    [InlineData("ops", "too-short", "Ingest:ApiKeys:0:Key must be at least 16 characters")]
    [InlineData("", "0123456789abcdef", "Ingest:ApiKeys:0:Name is required")]
    public void StartingWithABadApiKeySettingFailsNamingIt(string name, string key, string message)
    {
        using var factory = new WebApplicationFactory<Fanout.Ingest.Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:rabbitmq", "amqp://guest:guest@127.0.0.1:1/");
            builder.UseSetting("ConnectionStrings:postgres", "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x");
            builder.UseSetting("ConnectionStrings:redis", "127.0.0.1:1");
            builder.UseSetting("Logging:LogLevel:Default", "None");
            builder.UseSetting("Ingest:ApiKeys:0:Name", name);
            builder.UseSetting("Ingest:ApiKeys:0:Key", key);
        });

        var failure = StartupFailure(factory);

        failure.Message.ShouldContain(message);
    }

    /// <param name="settings">Settings over a valid hashed key 0, as <c>key=value</c> pairs separated by <c>|</c>.</param>
    [Theory]
    [InlineData("Ingest:ApiKeys:0:Hash=abc", "Ingest:ApiKeys:0:Hash must be the SHA-256 of the key as 64 hex digits")]
    [InlineData("Ingest:ApiKeys:0:Hash=sha256:", "Ingest:ApiKeys:0:Hash must be the SHA-256 of the key as 64 hex digits")]
    [InlineData("Ingest:ApiKeys:0:Key=plain-key-0123456789", "Ingest:ApiKeys:0 has both Hash and Key")]
    [InlineData("Ingest:ApiKeys:1:Name=other", "Ingest:ApiKeys:1:Hash is required")]
    [InlineData("Ingest:ApiKeys:1:Name=other|Ingest:ApiKeys:1:Key=ops-key-0123456789abcdef", "Ingest:ApiKeys:1 is the same as another key (Ingest:ApiKeys:0)")]
    [InlineData("Ingest:ApiKeys:0:Rooms:0=chat:*|Ingest:ApiKeys:0:Rooms:1=chat lobby", "Ingest:ApiKeys:0:Rooms:1: pattern 'chat lobby' may hold only room id characters")]
    [InlineData("Ingest:ApiKeys:0:Rooms=chat:*", "Ingest:ApiKeys:0:Rooms must be a list")]
    [InlineData("Ingest:ApiKeys:0:Burst=0", "Ingest:ApiKeys:0:Burst must be 1 to")]
    [InlineData("Ingest:ApiKeys:0:RequestsPerSecond=-1", "Ingest:ApiKeys:0:RequestsPerSecond must be 0 (unlimited) to")]
    [InlineData("Ingest:RateLimit:Burst=0", "Ingest:RateLimit:Burst must be 1 to")]
    public void StartingWithABadKeySettingFailsNamingIt(string settings, string message)
    {
        using var factory = new WebApplicationFactory<Fanout.Ingest.Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:rabbitmq", "amqp://guest:guest@127.0.0.1:1/");
            builder.UseSetting("ConnectionStrings:postgres", "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x");
            builder.UseSetting("ConnectionStrings:redis", "127.0.0.1:1");
            builder.UseSetting("Logging:LogLevel:Default", "None");
            builder.UseSetting("Ingest:ApiKeys:0:Name", "ops");
            builder.UseSetting("Ingest:ApiKeys:0:Hash", IngestAppFixture.HashOf("ops-key-0123456789abcdef"));
            foreach (var setting in settings.Split('|'))
            {
                var (key, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                builder.UseSetting(key, value);
            }
        });

        var failure = StartupFailure(factory);

        failure.Message.ShouldContain(message);
        failure.Message.ShouldNotContain("ops-key-0123456789abcdef", Case.Sensitive, "a key never appears in a message");
    }

    /// <summary>
    /// The options failure that stops the app at start. When the app's entry point fails, WebApplicationFactory races
    /// it: the entry point disposes the services while the factory still resolves from them, and the factory then
    /// throws <see cref="ObjectDisposedException"/> instead of the real failure. That race is retried with a new
    /// factory; any other outcome fails the test.
    /// </summary>
    private static OptionsValidationException StartupFailure(WebApplicationFactory<Fanout.Ingest.Program> factory)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var copy = factory.WithWebHostBuilder(_ => { });
            try
            {
                copy.CreateClient();
            }
            catch (OptionsValidationException failure)
            {
                return failure;
            }
            catch (ObjectDisposedException) when (attempt < 10)
            {
                continue;
            }

            throw new ShouldAssertException("Ingest started although a setting is invalid");
        }
    }
}
