using System.CommandLine;
using Fanout.Bench.Clients;
using Fanout.Bench.Publishing;
using Fanout.Bench.Settings;

namespace Fanout.Bench.Cli;

/// <summary>The options every command shares, and how they become <see cref="BenchSettings"/>.</summary>
public sealed class BenchOptionSet
{
    private static readonly BenchSettings Defaults = new();

    /// <summary>System.CommandLine has no parser for <see cref="Uri"/>: without this one the option could not be given at all.</summary>
    public Option<Uri> Ingest { get; } = new("--ingest")
    {
        Description = "Ingest base URL",
        DefaultValueFactory = _ => Defaults.Ingest,
        CustomParser = result =>
        {
            if (Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }

            result.AddError($"--ingest must be an absolute http(s) URL, not '{result.Tokens[0].Value}'");
            return null;
        },
    };

    public Option<string> Nodes { get; } = new("--nodes")
    {
        Description = "hub URLs, comma-separated; client i connects to node i % count",
        DefaultValueFactory = _ => string.Join(',', Defaults.Nodes),
    };

    public Option<string> ApiKey { get; } = new("--api-key") { Description = "Ingest API key (Bearer)", DefaultValueFactory = _ => Defaults.ApiKey };

    public Option<string> SigningKey { get; } = new("--signing-key") { Description = "HS256 key for client tokens", DefaultValueFactory = _ => Defaults.SigningKey };

    public Option<int> Rooms { get; } = new("--rooms") { Description = "rooms R", DefaultValueFactory = _ => Defaults.Rooms };

    public Option<int> ClientsPerRoom { get; } = new("--clients-per-room") { Description = "clients per room C", DefaultValueFactory = _ => Defaults.ClientsPerRoom };

    public Option<double> Rate { get; } = new("--rate") { Description = "events/s over all rooms (ramp: first step)", DefaultValueFactory = _ => Defaults.Rate };

    public Option<double> Duration { get; } = new("--duration") { Description = "measured window, seconds", DefaultValueFactory = _ => Defaults.DurationSeconds };

    public Option<double> Warmup { get; } = new("--warmup") { Description = "warm-up seconds (not measured for latency)", DefaultValueFactory = _ => Defaults.WarmupSeconds };

    public Option<int> MaxInflight { get; } = new("--max-inflight") { Description = "publish requests in flight at most", DefaultValueFactory = _ => Defaults.MaxInflight };

    public Option<int> ConnectConcurrency { get; } = new("--connect-concurrency")
    {
        Description = "clients connecting and subscribing at once",
        DefaultValueFactory = _ => Defaults.ConnectConcurrency,
    };

    public Option<ClientKind> Client { get; } = new("--client")
    {
        Description = "subscriber client: Lean (the JSON hub protocol read in place) or Official (the .NET HubConnection)",
        DefaultValueFactory = _ => Defaults.Client,
    };

    public Option<TokenPlacement> TokenIn { get; } = new("--token-in")
    {
        Description = "where subscribers send the access token: Header (Authorization: Bearer, as non-browser clients) or Query (access_token, as browsers; Lean client only)",
        DefaultValueFactory = _ => Defaults.TokenIn,
    };

    public Option<PublisherMode> Publisher { get; } = new("--publisher")
    {
        Description = "where publish requests are sent and awaited: Pool (the thread pool the clients share, as every earlier figure) or Threads (threads of their own: publish answer times are Ingest's, not the bench's)",
        DefaultValueFactory = _ => Defaults.Publisher,
    };

    public Option<string> ServerPids { get; } = new("--server-pids") { Description = "label=PID,... whose CPU is charged to the servers" };

    public Option<bool> JsonOnly { get; } = new("--json-only") { Description = "print only the JSON result line" };

    public IEnumerable<Option> All =>
        [Ingest, Nodes, ApiKey, SigningKey, Rooms, ClientsPerRoom, Rate, Duration, Warmup, MaxInflight, Publisher, ConnectConcurrency, Client, TokenIn, ServerPids, JsonOnly];

    /// <summary>The options that say where the system is and how to reach it, without a workload (rooms, rate, window).</summary>
    public IEnumerable<Option> Target => [Ingest, Nodes, ApiKey, SigningKey, ConnectConcurrency, Client, TokenIn, ServerPids, JsonOnly];

    public BenchSettings Read(ParseResult parse) => ReadTarget(parse) with
    {
        Rooms = Positive(parse.GetValue(Rooms), "--rooms"),
        ClientsPerRoom = Positive(parse.GetValue(ClientsPerRoom), "--clients-per-room"),
        Rate = Positive(parse.GetValue(Rate), "--rate"),
        DurationSeconds = Positive(parse.GetValue(Duration), "--duration"),
        WarmupSeconds = Math.Max(0, parse.GetValue(Warmup)),
        MaxInflight = Positive(parse.GetValue(MaxInflight), "--max-inflight"),
        Publisher = parse.GetValue(Publisher),
    };

    /// <summary>The <see cref="Target"/> options over the default workload.</summary>
    public BenchSettings ReadTarget(ParseResult parse) => new()
    {
        Ingest = parse.GetValue(Ingest)!,
        Nodes = parse.GetValue(Nodes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(u => new Uri(u)).ToList(),
        ApiKey = parse.GetValue(ApiKey)!,
        SigningKey = parse.GetValue(SigningKey)!,
        ConnectConcurrency = Positive(parse.GetValue(ConnectConcurrency), "--connect-concurrency"),
        Client = parse.GetValue(Client),
        TokenIn = parse.GetValue(Client) == ClientKind.Official && parse.GetValue(TokenIn) == TokenPlacement.Query
            ? throw new ArgumentException("--token-in Query needs --client Lean (the .NET client sends the token in the header)")
            : parse.GetValue(TokenIn),
        ServerPids = ServerPid.ParseList(parse.GetValue(ServerPids)),
    };

    private static T Positive<T>(T value, string name) where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new ArgumentException($"{name} must be greater than 0");
}
