using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Fanout.Embedded.Development;

/// <summary>
/// In Development only: once the server listens, prints on stdout where everything is, the development API key, a
/// client token and two commands to see events flow (what <c>scripts/run.sh</c> shows a new user).
/// </summary>
public sealed class DevelopmentBanner(
    IServer server, IConfiguration configuration, IHostApplicationLifetime lifetime, Fanout.History.Sqlite.SqliteHistoryDatabase database)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
        var apiKey = configuration["Ingest:ApiKeys:0:Key"] ?? "(none configured: see docs/configuration.md)";
        var signingKey = configuration["Auth:Jwt:SigningKey"];
        var token = string.IsNullOrEmpty(signingKey)
            ? "(no Auth:Jwt:SigningKey configured)"
            : DevelopmentToken.Create(signingKey, "dev", TimeSpan.FromDays(1), DateTimeOffset.UtcNow);
        Console.Out.Write($$$"""

            Fanout is running (embedded mode: one process; history in {{{database.DatabasePath}}})
              HTTP API        {{{address}}}/v1/rooms/{room}/events
              Hub (SignalR)   {{{address}}}/hubs/rooms
              Demo (chat)     {{{address}}}/demo/      Console (operators) {{{address}}}/console/
              Health, metrics {{{address}}}/health/ready  {{{address}}}/metrics
              API key         {{{apiKey}}}   (development only)
              Client token    {{{token}}}
                              (user "dev", every room, 24 h; more: node scripts/mint-token.mjs --sub NAME)

            Watch a room (Node 20):
              node tools/watch/watch.mjs --url {{{address}}}/hubs/rooms --token {{{token}}} --room chat:lobby
            Publish to it:
              curl -sS -X POST {{{address}}}/v1/rooms/chat:lobby/events -H 'Authorization: Bearer {{{apiKey}}}' -H 'Content-Type: application/json' -d '{"type":"message","data":{"text":"hello"}}'

            Stop with Ctrl-C: every accepted event is stored before the process ends.

            """);
        Console.Out.Flush();
    }
}
