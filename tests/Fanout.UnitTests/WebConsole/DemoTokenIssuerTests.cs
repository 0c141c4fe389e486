using System.Text;
using System.Text.Json;
using Fanout.Realtime.Auth;
using Fanout.UnitTests.Realtime;
using Fanout.WebConsole;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.WebConsole;

public sealed class DemoTokenIssuerTests
{
    private const string Key = "fanout-dev-signing-key-change-me-0123456789";

    [Fact]
    public async Task InDevelopmentWithTheSigningKeyItMintsATokenTheNodesAcceptForDemoRoomsOnly()
    {
        var issuer = Issuer(Environments.Development, Key);

        var token = issuer.Issue("Ada");

        issuer.Enabled.ShouldBeTrue();
        using var validator = new AccessTokenValidator(Options.Create(new JwtOptions { SigningKey = Key }), TokenClaimsTests.Defaults());
        var validation = await validator.ValidateAsync(token.Token);
        validation.Succeeded.ShouldBeTrue(validation.Failure);
        validation.Principal!.Identity!.Name.ShouldBe(token.UserId);
        token.UserId.ShouldStartWith("demo-");
        var payload = Payload(token.Token);
        payload.GetProperty("name").GetString().ShouldBe("Ada");
        payload.GetProperty("rooms").EnumerateArray().Select(r => r.GetString()).ShouldBe(["demo:*"]);
        (payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64()).ShouldBe(3600);
    }

    [Fact]
    public void EachTokenIsForANewUser() =>
        Issuer(Environments.Development, Key).Issue("Ada").UserId.ShouldNotBe(Issuer(Environments.Development, Key).Issue("Ada").UserId);

    [Theory]
    [InlineData("Production", Key)]
    [InlineData("Staging", Key)]
    [InlineData("Testing", Key)]
    [InlineData("Development", null)]
    [InlineData("Development", "shorter-than-32-bytes")]
    public void OutsideDevelopmentOrWithoutTheSigningKeyItIsOff(string environment, string? key)
    {
        var issuer = Issuer(environment, key);

        issuer.Enabled.ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => issuer.Issue("Ada"));
    }

    [Fact]
    public void TheConfiguredIssuerAndAudienceAreInTheToken()
    {
        var payload = Payload(Issuer(Environments.Development, Key, ("Auth:Jwt:Issuer", "https://app"), ("Auth:Jwt:Audience", "fanout")).Issue("Ada").Token);

        payload.GetProperty("iss").GetString().ShouldBe("https://app");
        payload.GetProperty("aud").GetString().ShouldBe("fanout");
    }

    private static DemoTokenIssuer Issuer(string environment, string? key, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Auth:Jwt:SigningKey"] = key };
        foreach (var (k, v) in more)
        {
            settings[k] = v;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new DemoTokenIssuer(new Environment(environment), configuration, TimeProvider.System);
    }

    private static JsonElement Payload(string token)
    {
        var part = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part))).RootElement.Clone();
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "test";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
