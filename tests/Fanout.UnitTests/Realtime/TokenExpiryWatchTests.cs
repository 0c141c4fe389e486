using System.Globalization;
using System.Security.Claims;
using Fanout.Realtime.Auth;
using Fanout.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.Realtime;

public sealed class TokenExpiryWatchTests : IDisposable
{
    private readonly ManualClock _clock = new();
    private readonly TokenExpiryWatch _watch;

    public TokenExpiryWatchTests() =>
        _watch = new TokenExpiryWatch(Options.Create(new JwtOptions { ClockSkewSeconds = 30 }), _clock, NullLogger<TokenExpiryWatch>.Instance);

    [Fact]
    public async Task ConnectionIsToldTokenExpiredAtItsExpThenAbortedAfterTheGrace()
    {
        var connection = Connection("c1", _clock.GetUtcNow().AddMinutes(1));
        _watch.Track(connection);

        _clock.Advance(TimeSpan.FromSeconds(59));
        connection.ReadSent().ShouldBeEmpty();

        _clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => connection.ReadSent().Contains("\"error\":\"token expired\""), "the close message");
        _watch.Watched.ShouldBe(0);
        connection.ConnectionAborted.IsCancellationRequested.ShouldBeFalse();

        _clock.Advance(TokenExpiryWatch.AbortGrace);
        await Eventually.HoldsAsync(() => connection.ConnectionAborted.IsCancellationRequested, "the connection aborted");
    }

    [Fact]
    public async Task TokenAcceptedAfterItsExpGetsUntilExpPlusTheSkew()
    {
        var connection = Connection("c1", _clock.GetUtcNow().AddSeconds(-10));
        _watch.Track(connection);

        _clock.Advance(TimeSpan.FromSeconds(19));
        connection.ReadSent().ShouldBeEmpty();

        _clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => connection.ReadSent().Contains("token expired"), "the close message");
    }

    [Fact]
    public async Task ConnectionThatEndsLeavesTheWatchAndIsNeverTold()
    {
        var ending = Connection("ending", _clock.GetUtcNow().AddMinutes(1));
        var staying = Connection("staying", _clock.GetUtcNow().AddMinutes(2));
        _watch.Track(ending);
        _watch.Track(staying);

        ending.Abort();

        await Eventually.HoldsAsync(() => _watch.Watched == 1, "the ended connection left the watch");
        _clock.Advance(TimeSpan.FromMinutes(1));
        ending.ReadSent().ShouldBeEmpty();
        _watch.Watched.ShouldBe(1);
    }

    [Fact]
    public void ConnectionWithoutExpIsNotWatched()
    {
        _watch.Track(PipeHubConnection.Create("c1", new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "u")], "Bearer"))));

        _watch.Watched.ShouldBe(0);
    }

    public void Dispose() => _watch.Dispose();

    private static PipeHubConnection Connection(string id, DateTimeOffset exp) =>
        PipeHubConnection.Create(id, new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", "user-" + id), new Claim("exp", exp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))], "Bearer")));
}
