using Fanout.Realtime.Auth;
using Fanout.Testing.SignalR;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.Realtime;

public sealed class AccessTokenValidatorTests
{
    private const string Key = "unit-tests-signing-key-0123456789abcdef";

    [Fact]
    public async Task GoodTokenGivesAnAuthenticatedPrincipalWithItsSubAsName()
    {
        var validation = await Validator().ValidateAsync(TestTokens.Create("user-1", Key));

        validation.Succeeded.ShouldBeTrue(validation.Failure);
        validation.Principal!.FindFirst("sub")!.Value.ShouldBe("user-1");
        validation.Principal.Identity!.IsAuthenticated.ShouldBeTrue();
        validation.Principal.Identity.AuthenticationType.ShouldBe(RealtimeAuthenticationDefaults.Scheme);
        validation.Principal.Identity.Name.ShouldBe("user-1");
        validation.ExpiresUtc!.Value.ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));
    }

    [Fact]
    public async Task TokenExpiredLongerAgoThanTheSkewIsRefused()
    {
        var validation = await Validator().ValidateAsync(TestTokens.Create("user-1", Key, TimeSpan.FromSeconds(-60)));

        validation.Failure.ShouldBe("the access token has expired");
    }

    [Fact]
    public async Task TokenExpiredWithinTheSkewIsAccepted()
    {
        var validation = await Validator().ValidateAsync(TestTokens.Create("user-1", Key, TimeSpan.FromSeconds(-10)));

        validation.Succeeded.ShouldBeTrue(validation.Failure);
    }

    [Fact]
    public async Task TokenSignedWithAnotherKeyIsRefused()
    {
        var validation = await Validator().ValidateAsync(TestTokens.Create("user-1", "another-key-0123456789abcdef-0123456789"));

        validation.Failure.ShouldBe("the access token signature does not verify");
    }

    [Fact]
    public async Task UnsignedTokenWithAlgNoneIsRefused()
    {
        var token = HandMadeJwt.Create("""{"alg":"none","typ":"JWT"}""", Payload("user-1"), key: null);

        (await Validator().ValidateAsync(token)).Failure.ShouldBe("the access token must be signed with HS256");
    }

    [Theory]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public async Task TokenSignedWithTheRightKeyButAnotherAlgorithmIsRefused(string alg)
    {
        var token = HandMadeJwt.Create($$"""{"alg":"{{alg}}","typ":"JWT"}""", Payload("user-1"), Key, alg);

        (await Validator().ValidateAsync(token)).Failure.ShouldBe("the access token must be signed with HS256");
    }

    [Fact]
    public async Task HandMadeHs256TokenWithTheRightKeyIsAccepted()
    {
        var token = HandMadeJwt.Create("""{"alg":"HS256","typ":"JWT"}""", Payload("user-1"), Key);

        (await Validator().ValidateAsync(token)).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData("""{"exp":EXP}""")]
    [InlineData("""{"sub":"","exp":EXP}""")]
    [InlineData("""{"sub":"   ","exp":EXP}""")]
    [InlineData("""{"sub":["a","b"],"exp":EXP}""")]
    public async Task TokenWithoutAUsableSubIsRefused(string payload)
    {
        var token = HandMadeJwt.Create("""{"alg":"HS256","typ":"JWT"}""", payload.Replace("EXP", HandMadeJwt.Seconds(TimeSpan.FromHours(1)).ToString()), Key);

        (await Validator().ValidateAsync(token)).Failure.ShouldBe("the access token has no sub claim (the user id)");
    }

    [Fact]
    public async Task TokenWithoutExpIsRefused()
    {
        var token = HandMadeJwt.Create("""{"alg":"HS256","typ":"JWT"}""", """{"sub":"user-1"}""", Key);

        (await Validator().ValidateAsync(token)).Failure.ShouldBe("the access token has no exp claim");
    }

    [Fact]
    public async Task TokenNotValidYetIsRefused()
    {
        var payload = $$"""{"sub":"user-1","nbf":{{HandMadeJwt.Seconds(TimeSpan.FromMinutes(10))}},"exp":{{HandMadeJwt.Seconds(TimeSpan.FromHours(1))}}}""";
        var token = HandMadeJwt.Create("""{"alg":"HS256","typ":"JWT"}""", payload, Key);

        (await Validator().ValidateAsync(token)).Failure.ShouldBe("the access token is not valid yet (nbf)");
    }

    [Fact]
    public async Task IssuerAndAudienceAreCheckedWhenConfigured()
    {
        var validator = Validator(issuer: "https://issuer.example", audience: "fanout");

        (await validator.ValidateAsync(TestTokens.Create("u", Key, issuer: "https://issuer.example", audience: "fanout"))).Succeeded.ShouldBeTrue();
        (await validator.ValidateAsync(TestTokens.Create("u", Key, issuer: "https://other.example", audience: "fanout"))).Failure
            .ShouldBe("the access token has the wrong issuer (iss)");
        (await validator.ValidateAsync(TestTokens.Create("u", Key, issuer: "https://issuer.example", audience: "other"))).Failure
            .ShouldBe("the access token is for another audience (aud)");
        (await validator.ValidateAsync(TestTokens.Create("u", Key))).Succeeded.ShouldBeFalse();
    }

    [Fact]
    public async Task IssuerAndAudienceAreIgnoredWhenNotConfigured()
    {
        (await Validator(issuer: "", audience: " ")
            .ValidateAsync(TestTokens.Create("u", Key, issuer: "anyone", audience: "anything"))).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData("", "no access token was sent")]
    [InlineData("not-a-jwt", "the access token is not a signed JWT (header.payload.signature)")]
    [InlineData("a.b.c.d.e", "the access token is not a signed JWT (header.payload.signature)")]
    [InlineData("!!.??.**", "the access token is not a well-formed JWT")]
    public async Task MalformedTokenIsRefused(string token, string reason)
    {
        (await Validator().ValidateAsync(token)).Failure.ShouldBe(reason);
    }

    [Fact]
    public async Task OverlongTokenIsRefusedUnparsed()
    {
        (await Validator().ValidateAsync(new string('a', 10_000))).Failure.ShouldBe("the access token is longer than 8192 characters");
    }

    private static AccessTokenValidator Validator(string? issuer = null, string? audience = null) =>
        new(Options.Create(new JwtOptions { SigningKey = Key, Issuer = issuer, Audience = audience, ClockSkewSeconds = 30 }),
            TokenClaimsTests.Defaults());

    private static string Payload(string sub) => $$"""{"sub":"{{sub}}","exp":{{HandMadeJwt.Seconds(TimeSpan.FromHours(1))}}}""";
}
