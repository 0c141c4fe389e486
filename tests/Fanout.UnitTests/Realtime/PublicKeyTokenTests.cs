using System.Security.Cryptography;
using Fanout.Realtime.Auth;
using Fanout.Testing.SignalR;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.UnitTests.Realtime;

/// <summary>RS256 and ES256 tokens checked with public keys from configuration, and algorithm confusion refused.</summary>
public sealed class PublicKeyTokenTests : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _rsa.Dispose();
        _ec.Dispose();
    }

    [Fact]
    public async Task Rs256AndEs256TokensVerifyWithTheirPublicKeys()
    {
        var validator = Validator(new JwtOptions { PublicKeys = [Rsa(), Ec()] });

        (await validator.ValidateAsync(TestTokens.Create("r", RsaCredentials()))).Succeeded.ShouldBeTrue();
        (await validator.ValidateAsync(TestTokens.Create("e", EcCredentials()))).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public async Task WithOnlyPublicKeysAnHs256TokenIsRefusedEvenKeyedWithThePublicKey()
    {
        var validator = Validator(new JwtOptions { PublicKeys = [Rsa()] });
        var pem = _rsa.ExportSubjectPublicKeyInfoPem();

        (await validator.ValidateAsync(TestTokens.Create("x", pem))).Failure.ShouldBe("the access token must be signed with RS256");
        (await validator.ValidateAsync(HandMadeJwt.Create("""{"alg":"HS256"}""", Payload(), pem))).Failure
            .ShouldBe("the access token must be signed with RS256");
    }

    [Fact]
    public async Task WithBothAnHs256TokenKeyedWithThePublicKeyDoesNotVerify()
    {
        var validator = Validator(new JwtOptions { SigningKey = new string('k', 32), PublicKeys = [Rsa()] });

        (await validator.ValidateAsync(TestTokens.Create("x", _rsa.ExportSubjectPublicKeyInfoPem()))).Failure
            .ShouldBe("the access token signature does not verify");
    }

    [Fact]
    public async Task AnEs256TokenIsNotCheckedWithAnRsaKeyAndTheOtherWayRound()
    {
        var rsaOnly = Validator(new JwtOptions { PublicKeys = [Rsa()] });
        var both = Validator(new JwtOptions { PublicKeys = [Rsa()], SigningKey = new string('k', 32) });

        (await rsaOnly.ValidateAsync(TestTokens.Create("e", EcCredentials()))).Failure.ShouldBe("the access token must be signed with RS256");
        (await both.ValidateAsync(TestTokens.Create("e", EcCredentials()))).Failure.ShouldBe("the access token must be signed with HS256 or RS256");
    }

    [Fact]
    public async Task ATokenWithAKeyIdIsCheckedOnlyWithThatKeyOrKeysWithoutAnId()
    {
        var validator = Validator(new JwtOptions { PublicKeys = [Rsa("main")] });
        using var other = RSA.Create(2048);

        (await validator.ValidateAsync(TestTokens.Create("r", RsaCredentials("main")))).Succeeded.ShouldBeTrue();
        (await validator.ValidateAsync(TestTokens.Create("r", RsaCredentials("old")))).Failure.ShouldBe("the access token signature does not verify");
        (await validator.ValidateAsync(TestTokens.Create("r", new SigningCredentials(new RsaSecurityKey(other) { KeyId = "main" }, SecurityAlgorithms.RsaSha256))))
            .Failure.ShouldBe("the access token signature does not verify");
    }

    [Fact]
    public void OptionsWithPublicKeysOnlyAreValidAndBadKeysAreNamed()
    {
        var validator = new JwtOptionsValidator();
        using var small = RSA.Create(1024);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        validator.Validate(null, new JwtOptions { PublicKeys = [Rsa()] }).Succeeded.ShouldBeTrue();
        Failure(new JwtPublicKeyOptions { Key = small.ExportSubjectPublicKeyInfoPem() }).ShouldContain("Auth:Jwt:PublicKeys:0:Key is an RSA key of 1024 bits");
        Failure(new JwtPublicKeyOptions { Key = p384.ExportSubjectPublicKeyInfoPem() }).ShouldContain("ES256 needs P-256");
        Failure(new JwtPublicKeyOptions { Key = _rsa.ExportRSAPrivateKeyPem() }).ShouldContain("holds a private key");
        Failure(new JwtPublicKeyOptions { Key = "/no/such/file.pem" }).ShouldContain("is neither PEM text nor a readable file");

        string Failure(JwtPublicKeyOptions key) => validator.Validate(null, new JwtOptions { PublicKeys = [key] }).FailureMessage!;
    }

    private JwtPublicKeyOptions Rsa(string? keyId = null) => new() { Key = _rsa.ExportSubjectPublicKeyInfoPem(), KeyId = keyId };

    private JwtPublicKeyOptions Ec() => new() { Key = _ec.ExportSubjectPublicKeyInfoPem() };

    private SigningCredentials RsaCredentials(string? keyId = null) =>
        new(new RsaSecurityKey(_rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256);

    private SigningCredentials EcCredentials() => new(new ECDsaSecurityKey(_ec), SecurityAlgorithms.EcdsaSha256);

    private static AccessTokenValidator Validator(JwtOptions options) => new(Options.Create(options), TokenClaimsTests.Defaults());

    private static string Payload() => $$"""{"sub":"x","exp":{{HandMadeJwt.Seconds(TimeSpan.FromHours(1))}}}""";
}
