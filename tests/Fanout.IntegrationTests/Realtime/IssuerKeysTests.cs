using System.Security.Cryptography;
using System.Text.Json;
using Fanout.Realtime.Auth;
using Fanout.Realtime.Presence;
using Fanout.Testing;
using Fanout.Testing.SignalR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.IntegrationTests.Realtime;

/// <summary>
/// Tokens verified with the keys of an identity provider that the test serves itself on 127.0.0.1: a discovery
/// document and its JWKS, or a bare JWKS; keys fetched, cached and, after a rotation, fetched again. The refusals of
/// configured keys hold for these too.
/// </summary>
public sealed class IssuerKeysTests : IAsyncLifetime
{
    private readonly RSA _first = RSA.Create(2048);
    private readonly RSA _second = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly RSA _small = RSA.Create(1024);
    private WebApplication _provider = null!;
    private volatile Dictionary<string, string>[] _published = [];
    private int _jwksFetches;

    private string BaseUrl { get; set; } = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _provider = builder.Build();
        _provider.MapGet("/.well-known/openid-configuration", () => Results.Json(new { issuer = BaseUrl, jwks_uri = BaseUrl + "/jwks" }));
        _provider.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref _jwksFetches);
            return Results.Text(JsonSerializer.Serialize(new { keys = _published }), "application/json");
        });
        await _provider.StartAsync();
        BaseUrl = _provider.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        _first.Dispose();
        _second.Dispose();
        _ec.Dispose();
        _small.Dispose();
    }

    [Fact]
    public async Task TokensOfTheProvidersKeysVerifyAndItsIssuerIsRequired()
    {
        _published = [Jwk(_first, "first"), Jwk(_ec, "ec")];
        using var validator = Validator(new JwtOptions { Authority = BaseUrl, RequireHttpsMetadata = false });

        (await validator.ValidateAsync(Token(_first, "first", BaseUrl))).Succeeded.ShouldBeTrue();
        (await validator.ValidateAsync(Token(_ec, "ec", BaseUrl))).Succeeded.ShouldBeTrue();
        (await validator.ValidateAsync(Token(_first, "first", "https://other.example"))).Failure.ShouldBe("the access token has the wrong issuer (iss)");
        (await validator.ValidateAsync(Token(_second, "first", BaseUrl))).Failure.ShouldBe("the access token signature does not verify");
        _jwksFetches.ShouldBe(1, "the keys are cached");
    }

    [Fact]
    public async Task TheRefusalsOfConfiguredKeysHoldForTheProvidersKeys()
    {
        _published = [Jwk(_first, "first"), Jwk(_small, "small")];
        using var validator = Validator(new JwtOptions { JwksUrl = BaseUrl + "/jwks", RequireHttpsMetadata = false });

        // Algorithm confusion: the RSA public key as an HMAC secret.
        var hs256 = TestTokens.Create("u", new SigningCredentials(
            new SymmetricSecurityKey(_first.ExportSubjectPublicKeyInfo()), SecurityAlgorithms.HmacSha256));
        (await validator.ValidateAsync(hs256)).Failure.ShouldBe("the access token must be signed with ES256 or RS256");
        (await validator.ValidateAsync(Unsigned("""{"alg":"none","kid":"first"}""", Payload()))).Failure
            .ShouldBe("the access token must be signed with ES256 or RS256");
        (await validator.ValidateAsync(Token(_small, "small", null))).Failure.ShouldBe("the access token signature does not verify", "an RSA key under 2048 bits is ignored");
        (await validator.ValidateAsync(Token(_first, "first", null, TimeSpan.FromMinutes(-5)))).Failure.ShouldBe("the access token has expired");
        (await validator.ValidateAsync(Token(_first, "first", null))).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public async Task AfterAKeyRotationTokensOfTheNewKeyVerifyAndThoseOfTheRemovedOneNoLonger()
    {
        _published = [Jwk(_first, "first")];
        using var validator = Validator(new JwtOptions { Authority = BaseUrl, RequireHttpsMetadata = false, KeysRefetchCooldownSeconds = 1 });
        (await validator.ValidateAsync(Token(_first, "first", BaseUrl))).Succeeded.ShouldBeTrue();

        _published = [Jwk(_second, "second")];
        await Eventually.HoldsAsync(
            async () => (await validator.ValidateAsync(Token(_second, "second", BaseUrl))).Succeeded,
            "a token of the new key verifies once the keys were fetched again");
        (await validator.ValidateAsync(Token(_first, "first", BaseUrl))).Failure.ShouldBe("the access token signature does not verify");
        _jwksFetches.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task WithoutTheProviderConfiguredKeysStillWorkAndOtherTokensAreRefusedWithAReason()
    {
        var options = new JwtOptions { SigningKey = new string('k', 32), JwksUrl = "http://127.0.0.1:1/jwks", RequireHttpsMetadata = false };
        using var validator = Validator(options);

        (await validator.ValidateAsync(TestTokens.Create("u", options.SigningKey))).Succeeded.ShouldBeTrue();
        (await validator.ValidateAsync(Token(_first, "first", null))).Failure.ShouldBe("the token issuer's signing keys could not be fetched");
    }

    [Fact]
    public void DiscoverySettingsAreCheckedAtStart()
    {
        var validator = new JwtOptionsValidator();

        validator.Validate(null, new JwtOptions { Authority = "https://id.example" }).Succeeded.ShouldBeTrue();
        validator.Validate(null, new JwtOptions { Authority = "http://id.example" }).FailureMessage!.ShouldContain("Auth:Jwt:Authority must be https");
        validator.Validate(null, new JwtOptions { Authority = "https://id.example", JwksUrl = "https://id.example/jwks" }).FailureMessage!
            .ShouldContain("are exclusive");
        validator.Validate(null, new JwtOptions { JwksUrl = "keys.json" }).FailureMessage!.ShouldContain("Auth:Jwt:JwksUrl must be an absolute https URL");
    }

    private static AccessTokenValidator Validator(JwtOptions options) =>
        new(Options.Create(options), new TokenClaims(Options.Create(new RoomPermissionsOptions()), Options.Create(new NodePresenceOptions())));

    private static string Token(AsymmetricAlgorithm key, string keyId, string? issuer, TimeSpan? lifetime = null)
    {
        SigningCredentials credentials = key is RSA rsa
            ? new(new RsaSecurityKey(rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256)
            : new(new ECDsaSecurityKey((ECDsa)key) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha256);
        return TestTokens.Create("user-1", credentials, lifetime, issuer);
    }

    private static string Payload() => $$"""{"sub":"u","exp":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}""";

    private static string Unsigned(string header, string payload) =>
        $"{Base64UrlEncoder.Encode(header)}.{Base64UrlEncoder.Encode(payload)}.";

    private static Dictionary<string, string> Jwk(AsymmetricAlgorithm key, string keyId)
    {
        if (key is RSA rsa)
        {
            var p = rsa.ExportParameters(false);
            return new Dictionary<string, string>
            {
                ["kty"] = "RSA", ["use"] = "sig", ["kid"] = keyId,
                ["n"] = Base64UrlEncoder.Encode(p.Modulus!), ["e"] = Base64UrlEncoder.Encode(p.Exponent!),
            };
        }

        var ec = ((ECDsa)key).ExportParameters(false);
        return new Dictionary<string, string>
        {
            ["kty"] = "EC", ["use"] = "sig", ["kid"] = keyId, ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(ec.Q.X!), ["y"] = Base64UrlEncoder.Encode(ec.Q.Y!),
        };
    }
}
