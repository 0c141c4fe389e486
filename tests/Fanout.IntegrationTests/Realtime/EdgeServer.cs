using Fanout.Contracts.Validation;
using Fanout.Realtime.Auth;
using Fanout.Realtime.Extensions;
using Fanout.Realtime.Protocol;
using Fanout.Testing;
using Fanout.Testing.SignalR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fanout.IntegrationTests.Realtime;

/// <summary>
/// A minimal realtime edge on Kestrel at 127.0.0.1 (a free port): the client authentication and the hub protocol of
/// realtime nodes in front of <see cref="EdgeTestHub"/> at <c>/hubs/edge</c>, with their room permissions, limits and
/// CORS (<c>AddRealtimeAccess</c>). Needs no broker or database.
/// </summary>
public sealed class EdgeServer : IAsyncLifetime
{
    public const string SigningKey = "edge-tests-signing-key-0123456789abcdef";
    public const string HubPath = RealtimeServiceCollectionExtensions.HubPath;

    private readonly IReadOnlyDictionary<string, string?>? _settings;
    private WebApplication? _app;

    public EdgeServer()
        : this(null)
    {
    }

    /// <summary>A server whose configuration adds <paramref name="settings"/> (for tests that start their own).</summary>
    internal EdgeServer(IReadOnlyDictionary<string, string?>? settings) => _settings = settings;

    public Uri BaseUrl { get; private set; } = null!;

    public Uri HubUrl => new(BaseUrl, HubPath);

    public static string TokenFor(string sub, TimeSpan? lifetime = null) => TestTokens.Create(sub, SigningKey, lifetime);

    /// <summary>A connection (not started) that presents <paramref name="token"/>.</summary>
    public HubConnection Connect(string? token) => TestHubConnections.Create(HubUrl, () => Task.FromResult(token));

    /// <summary>A started connection for <paramref name="sub"/>.</summary>
    public async Task<HubConnection> StartAsync(string sub)
    {
        var connection = Connect(TokenFor(sub));
        await connection.StartAsync().WaitAsync(Eventually.DefaultTimeout);
        return connection;
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ApplicationName = typeof(EdgeServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Jwt:SigningKey"] = SigningKey,
        });
        if (_settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(_settings);
        }

        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddRealtimeAuthentication(builder.Configuration);
        builder.Services.AddRealtimeAccess(builder.Configuration);
        builder.Services.AddSignalR().AddFanoutHubProtocol(EventDataRules.Default);

        _app = builder.Build();
        _app.UseRealtimeCors();
        _app.UseRealtimeHubAuthentication();
        _app.UseAuthenticationExceptOnTheHub(other => other);
        _app.MapHub<EdgeTestHub>(HubPath);
        await _app.StartAsync().WaitAsync(Eventually.DefaultTimeout);

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(Eventually.DefaultTimeout);
            await _app.DisposeAsync();
        }
    }
}
