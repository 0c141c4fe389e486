using System.Net.Http.Headers;
using System.Text;
using RabbitMQ.Client;

namespace Fanout.Testing.Servers;

/// <summary>
/// A fresh RabbitMQ virtual host for one fixture, so that its queues and partitions are its own.
/// Created and deleted through the management API.
/// </summary>
public sealed class RabbitMqVhost : IAsyncDisposable
{
    private readonly HttpClient _http;

    private RabbitMqVhost(HttpClient http, string name)
    {
        _http = http;
        Name = name;
    }

    public string Name { get; }

    /// <summary>AMQP URI of this vhost, for <c>ConnectionStrings:rabbitmq</c>.</summary>
    public string ConnectionString
    {
        get
        {
            var builder = new UriBuilder(TestServers.RabbitMq) { Path = "/" + Uri.EscapeDataString(Name) };
            return builder.Uri.AbsoluteUri;
        }
    }

    /// <summary>A new AMQP connection to this vhost (the caller disposes it).</summary>
    public Task<IConnection> ConnectAsync() => new ConnectionFactory { Uri = new Uri(ConnectionString) }.CreateConnectionAsync();

    public static async Task<RabbitMqVhost> CreateAsync(string prefix = "test")
    {
        var management = TestServers.RabbitMqManagement;
        var http = new HttpClient { BaseAddress = new Uri(management.GetLeftPart(UriPartial.Authority)) };
        var userInfo = string.IsNullOrEmpty(management.UserInfo) ? "guest:guest" : Uri.UnescapeDataString(management.UserInfo);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
        var user = userInfo.Split(':')[0];

        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, prefix.Length + 33)];
        var vhost = new RabbitMqVhost(http, name);
        (await http.PutAsync($"/api/vhosts/{Uri.EscapeDataString(name)}", Json("{}"))).EnsureSuccessStatusCode();
        (await http.PutAsync($"/api/permissions/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(user)}",
            Json("""{"configure":".*","write":".*","read":".*"}"""))).EnsureSuccessStatusCode();
        return vhost;
    }

    /// <summary>Number of ready + unacknowledged messages in a queue of this vhost (0 when it does not exist).</summary>
    public async Task<long> GetQueueDepthAsync(string queue)
    {
        var response = await _http.GetAsync($"/api/queues/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return 0;
        }

        response.EnsureSuccessStatusCode();
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.TryGetProperty("messages", out var messages) && messages.ValueKind == System.Text.Json.JsonValueKind.Number
            ? messages.GetInt64()
            : 0;
    }

    /// <summary>Names of the queues in this vhost.</summary>
    public async Task<IReadOnlyList<string>> GetQueueNamesAsync()
    {
        var response = await _http.GetAsync($"/api/queues/{Uri.EscapeDataString(Name)}?columns=name");
        response.EnsureSuccessStatusCode();
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.EnumerateArray().Select(q => q.GetProperty("name").GetString()!).ToList();
    }

    /// <summary>Every queue of this vhost with how it was declared (durable, exclusive, auto-delete, type, arguments).</summary>
    public async Task<IReadOnlyList<QueueDeclaration>> GetQueuesAsync()
    {
        var response = await _http.GetAsync($"/api/queues/{Uri.EscapeDataString(Name)}?columns=name,durable,exclusive,auto_delete,type,arguments");
        response.EnsureSuccessStatusCode();
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.EnumerateArray().Select(q => new QueueDeclaration(
            q.GetProperty("name").GetString()!,
            q.GetProperty("durable").GetBoolean(),
            q.TryGetProperty("exclusive", out var exclusive) && exclusive.ValueKind == System.Text.Json.JsonValueKind.True,
            q.GetProperty("auto_delete").GetBoolean(),
            q.TryGetProperty("type", out var type) ? type.GetString() ?? "classic" : "classic",
            q.GetProperty("arguments").EnumerateObject().ToDictionary(a => a.Name, a => a.Value.ToString(), StringComparer.Ordinal))).ToList();
    }

    /// <summary>Routing keys of the bindings of a queue of this vhost (the default exchange's binding left out).</summary>
    public async Task<IReadOnlyList<string>> GetBindingKeysAsync(string queue)
    {
        var response = await _http.GetAsync($"/api/queues/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(queue)}/bindings");
        response.EnsureSuccessStatusCode();
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.EnumerateArray()
            .Where(b => b.GetProperty("source").GetString() is { Length: > 0 })
            .Select(b => b.GetProperty("routing_key").GetString()!)
            .ToList();
    }

    /// <summary>
    /// How many messages were ever published into a queue, from the broker's statistics (they lag by the broker's
    /// <c>collect_statistics_interval</c>).
    /// </summary>
    public async Task<long> GetPublishedCountAsync(string queue)
    {
        var response = await _http.GetAsync($"/api/queues/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(queue)}");
        response.EnsureSuccessStatusCode();
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.TryGetProperty("message_stats", out var stats)
            && stats.TryGetProperty("publish", out var publish) && publish.ValueKind == System.Text.Json.JsonValueKind.Number
            ? publish.GetInt64()
            : 0;
    }

    /// <summary>
    /// For each queue whose name starts with <paramref name="queuePrefix"/> and has an active consumer: the name of
    /// the connection that consumer is on (the client-provided name).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> GetActiveConsumerConnectionsAsync(string queuePrefix)
    {
        var response = await _http.GetAsync($"/api/consumers/{Uri.EscapeDataString(Name)}");
        response.EnsureSuccessStatusCode();
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var active = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var consumer in document.RootElement.EnumerateArray())
        {
            var queue = consumer.GetProperty("queue").GetProperty("name").GetString()!;
            var isActive = !consumer.TryGetProperty("active", out var flag) || flag.ValueKind != System.Text.Json.JsonValueKind.False;
            if (queue.StartsWith(queuePrefix, StringComparison.Ordinal) && isActive)
            {
                active[queue] = consumer.GetProperty("channel_details").GetProperty("connection_name").GetString() ?? string.Empty;
            }
        }

        return active;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _http.DeleteAsync($"/api/vhosts/{Uri.EscapeDataString(Name)}");
        }
        catch (HttpRequestException)
        {
            // The broker may be stopped by the test; the vhost goes with the test servers' data directory.
        }

        _http.Dispose();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
