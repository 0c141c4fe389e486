using Fanout.Realtime.Auth;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.Realtime;

/// <summary>Asymmetric keys without an issuer or audience to check: a warning at start.</summary>
public sealed class JwtScopeCheckTests
{
    private static JwtOptions WithPublicKey() => new() { PublicKeys = [new JwtPublicKeyOptions { Key = "-----BEGIN PUBLIC KEY-----" }] };

    [Fact]
    public async Task PublicKeysWithoutIssuerOrAudienceLogWarning5102AtStart()
    {
        var logger = new ListLogger();

        await new JwtScopeCheck(Options.Create(WithPublicKey()), logger).StartAsync(CancellationToken.None);

        logger.Entries.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            e => e.Id.ShouldBe(5102), e => e.Level.ShouldBe(LogLevel.Warning), e => e.Message.ShouldContain("neither Auth:Jwt:Issuer nor Auth:Jwt:Audience"));
    }

    [Fact]
    public void OnlyAsymmetricKeysWithNothingToScopeThemAreUnscoped()
    {
        JwtScopeCheck.IsUnscoped(WithPublicKey()).ShouldBeTrue();
        JwtScopeCheck.IsUnscoped(new JwtOptions { JwksUrl = "https://idp.example/jwks" }).ShouldBeTrue();

        var withIssuer = WithPublicKey();
        withIssuer.Issuer = "https://idp.example";
        var withAudience = WithPublicKey();
        withAudience.Audience = "fanout";
        JwtScopeCheck.IsUnscoped(withIssuer).ShouldBeFalse();
        JwtScopeCheck.IsUnscoped(withAudience).ShouldBeFalse();
        JwtScopeCheck.IsUnscoped(new JwtOptions { Authority = "https://idp.example" }).ShouldBeFalse("the discovery document's issuer is checked");
        JwtScopeCheck.IsUnscoped(new JwtOptions { SigningKey = new string('k', 40) }).ShouldBeFalse("a shared HS256 key is Fanout's own");
    }

    private sealed class ListLogger : ILogger<JwtScopeCheck>
    {
        public List<(EventId Id, LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((eventId, logLevel, formatter(state, exception)));
    }
}
