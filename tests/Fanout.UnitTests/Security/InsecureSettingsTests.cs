using Fanout.ServiceDefaults.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Fanout.UnitTests.Security;

/// <summary>Outside Development a process refuses the public development keys, a short signing key and no API key.</summary>
public sealed class InsecureSettingsTests
{
    private const string OwnKey = "an-own-api-key-0123456789";
    private const string OwnSigningKey = "an-own-signing-key-0123456789-0123456789";

    private static HostApplicationBuilder Builder(string environment, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        return builder;
    }

    [Theory]
    [InlineData("Key", InsecureSettings.DevelopmentApiKey)]
    [InlineData("Hash", "sha256:57888d36c4bb8679dc293f271f58b485e8485828a3ca1911187ddcb804306683")]
    [InlineData("Hash", "57888D36C4BB8679DC293F271F58B485E8485828A3CA1911187DDCB804306683")]
    public void TheDevelopmentApiKeyPlainOrHashedIsRefusedOutsideDevelopment(string setting, string value)
    {
        var builder = Builder("Production", ("Ingest:ApiKeys:0:Name", "ok"), ("Ingest:ApiKeys:0:Key", OwnKey),
            ("Ingest:ApiKeys:1:Name", "dev"), ($"Ingest:ApiKeys:1:{setting}", value));

        Should.Throw<InsecureSettingsException>(() => builder.RefuseInsecureSettings(apiKeys: true, signingKey: true))
            .Message.ShouldContain("Ingest:ApiKeys:1 is the public development API key");
    }

    [Fact]
    public void NoApiKeyIsRefusedOutsideDevelopment()
    {
        var builder = Builder("Staging", ("Auth:Jwt:SigningKey", OwnSigningKey));

        Should.Throw<InsecureSettingsException>(() => builder.RefuseInsecureSettings(apiKeys: true, signingKey: true))
            .Message.ShouldContain("no API key is configured (Ingest:ApiKeys)");
    }

    [Fact]
    public void TheDevelopmentSigningKeyIsRefusedOutsideDevelopment()
    {
        var builder = Builder("Production", ("Auth:Jwt:SigningKey", InsecureSettings.DevelopmentSigningKey));

        Should.Throw<InsecureSettingsException>(() => builder.RefuseInsecureSettings(apiKeys: false, signingKey: true))
            .Message.ShouldContain("Auth:Jwt:SigningKey is the public development signing key");
    }

    [Fact]
    public void ASigningKeyShorterThan32BytesIsRefusedOutsideDevelopment()
    {
        var builder = Builder("Production", ("Auth:Jwt:SigningKey", "short-key-0123456789"));

        Should.Throw<InsecureSettingsException>(() => builder.RefuseInsecureSettings(apiKeys: false, signingKey: true))
            .Message.ShouldContain("Auth:Jwt:SigningKey is 20 bytes of UTF-8; HS256 needs at least 32");
    }

    [Fact]
    public void OwnKeysPassAndAProcessThatReadsNoSigningKeyIgnoresIt()
    {
        Should.NotThrow(() => Builder("Production", ("Ingest:ApiKeys:0:Name", "ok"), ("Ingest:ApiKeys:0:Hash", "sha256:" + new string('a', 64)),
            ("Auth:Jwt:SigningKey", OwnSigningKey)).RefuseInsecureSettings(apiKeys: true, signingKey: true));
        Should.NotThrow(() => Builder("Production", ("Auth:Jwt:SigningKey", InsecureSettings.DevelopmentSigningKey))
            .RefuseInsecureSettings(apiKeys: false, signingKey: false));
    }

    [Fact]
    public void InDevelopmentTheDevelopmentKeysAreAllowed()
    {
        var builder = Builder("Development", ("Ingest:ApiKeys:0:Name", "dev"), ("Ingest:ApiKeys:0:Key", InsecureSettings.DevelopmentApiKey),
            ("Auth:Jwt:SigningKey", InsecureSettings.DevelopmentSigningKey));

        Should.NotThrow(() => builder.RefuseInsecureSettings(apiKeys: true, signingKey: true));
    }
}
