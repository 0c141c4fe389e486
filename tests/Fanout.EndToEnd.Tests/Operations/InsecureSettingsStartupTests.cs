using Fanout.EndToEnd.Tests.Support;
using Fanout.ServiceDefaults.Security;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>
/// Outside Development, each process that reads API keys or the signing key refuses to start with one line on stderr
/// (exit code 2) when given the public development keys, a short signing key or no API key: before it contacts any
/// server (the connection strings here point nowhere).
/// </summary>
public sealed class InsecureSettingsStartupTests : IDisposable
{
    private const string DevelopmentKeyHash = "sha256:57888d36c4bb8679dc293f271f58b485e8485828a3ca1911187ddcb804306683";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "fanout-insecure-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "Fanout.Ingest", "Ingest:ApiKeys:0:Key=" + InsecureSettings.DevelopmentApiKey, "Ingest:ApiKeys:0 is the public development API key" },
        { "Fanout.Ingest", "Ingest:ApiKeys:0:Hash=" + DevelopmentKeyHash, "Ingest:ApiKeys:0 is the public development API key" },
        { "Fanout.Ingest", "Ingest:ApiKeys:0:Name=", "no API key is configured (Ingest:ApiKeys)" },
        { "Fanout.Realtime", "Auth:Jwt:SigningKey=" + InsecureSettings.DevelopmentSigningKey, "Auth:Jwt:SigningKey is the public development signing key" },
        { "Fanout.Realtime", "Auth:Jwt:SigningKey=short-signing-key", "Auth:Jwt:SigningKey is 17 bytes of UTF-8; HS256 needs at least 32" },
        { "Fanout.Embedded", "Ingest:ApiKeys:0:Key=" + InsecureSettings.DevelopmentApiKey, "Ingest:ApiKeys:0 is the public development API key" },
        { "Fanout.Embedded", "Auth:Jwt:SigningKey=" + InsecureSettings.DevelopmentSigningKey, "Auth:Jwt:SigningKey is the public development signing key" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task AnInsecureSettingStopsTheStartWithOneLineNamingIt(string assembly, string setting, string message)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1/",
            ["ConnectionStrings:postgres"] = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x",
            ["ConnectionStrings:redis"] = "127.0.0.1:1",
            ["Sqlite:DataDirectory"] = _data,
            ["Ingest:ApiKeys:0:Name"] = "ops",
            ["Ingest:ApiKeys:0:Key"] = FanoutStack.ApiKey,
            ["Auth:Jwt:SigningKey"] = FanoutStack.SigningKey,
        };
        var (key, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        if (value.Length == 0)
        {
            settings.Remove(key);
            settings.Remove("Ingest:ApiKeys:0:Key");
        }
        else
        {
            settings[key] = value;
            if (key.EndsWith(":Hash", StringComparison.Ordinal))
            {
                settings.Remove("Ingest:ApiKeys:0:Key");
            }
        }

        var (code, errors) = await StartupRun.RunAsync(assembly, "Production", settings);

        code.ShouldBe(2, string.Join('\n', errors));
        errors.ShouldHaveSingleItem().ShouldStartWith("fanout: cannot start: ");
        errors[0].ShouldContain(message);
    }
}
