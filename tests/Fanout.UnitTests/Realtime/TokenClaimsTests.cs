using System.Security.Claims;
using Fanout.Realtime.Auth;
using Fanout.Realtime.Presence;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.Realtime;

public sealed class TokenClaimsTests
{
    private const string Key = "unit-tests-signing-key-0123456789abcdef";

    [Fact]
    public async Task AValidatedTokenKeepsOnlyTheClaimsTheNodeReadsInTheirOrder()
    {
        var (now, exp) = (Now(), Exp());
        var principal = await Validate(Defaults(), $$"""
            {"iss":"https://issuer.example","sub":"user-1","jti":"abc","rooms":["chat:*","news"],"iat":{{now}},
             "nbf":{{now}},"exp":{{exp}},"subscribe":"feed:*","publish":"chat:x","name":"Ada","role":"admin"}
            """);

        principal.Claims.Select(c => (c.Type, c.Value)).ShouldBe(
        [
            ("sub", "user-1"), ("rooms", "chat:*"), ("rooms", "news"), ("exp", exp.ToString()),
            ("subscribe", "feed:*"), ("publish", "chat:x"), ("name", "Ada"),
        ]);
        principal.Identity!.IsAuthenticated.ShouldBeTrue();
        principal.Identity.Name.ShouldBe("user-1");
    }

    [Fact]
    public async Task ClaimNamesComeFromThePermissionAndPresenceSettings()
    {
        var claims = new TokenClaims(
            Options.Create(new RoomPermissionsOptions { RoomsClaim = "scope", SubscribeClaim = "", PublishClaim = "pub" }),
            Options.Create(new NodePresenceOptions { NameClaim = "" }));

        var principal = await Validate(claims, $$"""
            {"sub":"u","exp":{{Exp()}},"scope":"a:*","rooms":"b:*","subscribe":"c:*","pub":"d:*","name":"Ada"}
            """);

        principal.Claims.Select(c => c.Type).ShouldBe(["sub", "exp", "scope", "pub"]);
    }

    [Fact]
    public async Task KeptClaimsShareOneTypeNameAndTheDefaultIssuer()
    {
        var first = await Validate(Defaults(), $$"""{"iss":"https://issuer.example","sub":"a","exp":{{Exp()}}}""");
        var second = await Validate(Defaults(), $$"""{"iss":"https://issuer.example","sub":"b","exp":{{Exp()}}}""");

        ReferenceEquals(first.FindFirst("sub")!.Type, second.FindFirst("sub")!.Type).ShouldBeTrue();
        ReferenceEquals(first.FindFirst("exp")!.Type, second.FindFirst("exp")!.Type).ShouldBeTrue();
        first.Claims.ShouldAllBe(c => c.Issuer == ClaimsIdentity.DefaultIssuer && c.Subject == first.Identity);
    }

    /// <summary>The claims kept with the default settings: sub, exp, rooms, subscribe, publish and name.</summary>
    public static TokenClaims Defaults() =>
        new(Options.Create(new RoomPermissionsOptions()), Options.Create(new NodePresenceOptions()));

    private static async Task<ClaimsPrincipal> Validate(TokenClaims claims, string payload)
    {
        var validator = new AccessTokenValidator(Options.Create(new JwtOptions { SigningKey = Key }), claims);
        var validation = await validator.ValidateAsync(HandMadeJwt.Create("""{"alg":"HS256","typ":"JWT"}""", payload, Key));
        validation.Succeeded.ShouldBeTrue(validation.Failure);
        return validation.Principal!;
    }

    private static long Now() => HandMadeJwt.Seconds(TimeSpan.Zero);

    private static long Exp() => HandMadeJwt.Seconds(TimeSpan.FromHours(1));
}
