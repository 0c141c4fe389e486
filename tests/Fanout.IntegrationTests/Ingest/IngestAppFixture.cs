using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Fanout.Testing;
using Fanout.Testing.Servers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>
/// The real Ingest application in-process (<see cref="WebApplicationFactory{TEntryPoint}"/>) over a fresh RabbitMQ
/// vhost and a fresh PostgreSQL database. Nothing consumes the partition queues, so what Ingest submitted stays there.
/// </summary>
public class IngestAppFixture : IAsyncLifetime
{
    public const string ApiKey = "ingest-test-key-0123456789";
    public const int Partitions = 4;

    private WebApplicationFactory<Fanout.Ingest.Program>? _factory;

    public RabbitMqVhost Vhost { get; private set; } = null!;

    public PostgresDatabase Database { get; private set; } = null!;

    public SubmitQueueReader Queues { get; private set; } = null!;

    /// <summary>
    /// The API keys: <see cref="ApiKey"/> as <c>test</c>, configured as its hash (the production way), allowed destructive
    /// operations.
    /// </summary>
    protected virtual IReadOnlyDictionary<string, string> KeySettings { get; } = new Dictionary<string, string>
    {
        ["Ingest:ApiKeys:0:Name"] = "test",
        ["Ingest:ApiKeys:0:Hash"] = HashOf(ApiKey),
        ["Ingest:ApiKeys:0:AllowDestructive"] = "true",
    };

    /// <summary>Settings on top of the fixture's own (e.g. smaller limits).</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>();

    /// <summary>What <c>scripts/hash-api-key.sh</c> prints for <paramref name="key"/>, without the <c>sha256:</c> prefix.</summary>
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async Task InitializeAsync()
    {
        Vhost = await RabbitMqVhost.CreateAsync("ingest");
        Database = await PostgresDatabase.CreateAsync("ingest");
        Queues = new SubmitQueueReader(Vhost);
        _factory = new WebApplicationFactory<Fanout.Ingest.Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:rabbitmq", Vhost.ConnectionString);
            builder.UseSetting("ConnectionStrings:postgres", Database.ConnectionString);
            builder.UseSetting("Topology:Partitions", Partitions.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in KeySettings.Concat(ExtraSettings))
            {
                builder.UseSetting(key, value);
            }

            ConfigureWebHost(builder);
        });

        using var client = CreateClient(apiKey: null);
        await Eventually.HoldsAsync(
            async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode,
            "Ingest is ready (broker reachable, history schema migrated)");
    }

    /// <summary>More set-up of the host (e.g. a log capture), after the settings.</summary>
    protected virtual void ConfigureWebHost(IWebHostBuilder builder)
    {
    }

    /// <summary>A client for the in-process app, sending <paramref name="apiKey"/> as a bearer token when given.</summary>
    public HttpClient CreateClient(string? apiKey = ApiKey)
    {
        var client = _factory!.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>
    /// Sends a request whose path is given as the server sees it after decoding (<c>.</c>, <c>..</c>, control
    /// characters), or headers an <see cref="HttpClient"/> would normalize, drop or refuse to send.
    /// </summary>
    public async Task<HttpResponseMessage> SendRawAsync(
        string method, string decodedPath, string? jsonBody = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var context = await _factory!.Server.SendAsync(http =>
        {
            http.Request.Method = method;
            http.Request.Path = new PathString(decodedPath);
            http.Request.Headers.Authorization = "Bearer " + ApiKey;
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                http.Request.Headers[name] = value;
            }

            if (jsonBody is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(jsonBody);
                http.Request.ContentType = "application/json";
                http.Request.ContentLength = bytes.Length;
                http.Request.Body = new MemoryStream(bytes);
            }
        });

        var response = new HttpResponseMessage((HttpStatusCode)context.Response.StatusCode);
        var body = new MemoryStream();
        await context.Response.Body.CopyToAsync(body);
        response.Content = new ByteArrayContent(body.ToArray());
        if (context.Response.ContentType is { } contentType)
        {
            response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return response;
    }

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await Queues.DisposeAsync();
        await Vhost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
