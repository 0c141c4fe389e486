using Fanout.Contracts.Validation;
using Fanout.History;
using Fanout.Ingest.Api;
using Fanout.Ingest.Auth;
using Fanout.Ingest.Options;
using Fanout.Ingest.Requests;
using Fanout.Ingest.Submission;
using Fanout.Messaging;
using Fanout.PresenceStore;
using Fanout.ServiceDefaults.Security;
using Fanout.WebConsole;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Fanout.Ingest.Extensions;

public static class IngestServiceCollectionExtensions
{
    /// <summary>
    /// Ingest of the distributed mode: the HTTP API over the broker submitter (RabbitMQ), history in PostgreSQL and
    /// presence in Redis (an outage only degrades readiness).
    /// </summary>
    public static IHostApplicationBuilder AddIngestServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddFanoutMessaging(builder.Configuration, "ingest");
        services.AddPartitionCountGuard();
        services.AddFanoutHistory(builder.Configuration);
        services.AddRedisPresence(builder.Configuration, HealthStatus.Degraded);
        return builder.AddIngestApi();
    }

    /// <summary>
    /// The HTTP API, whatever it runs on: options, API key authentication (required on every route but
    /// <c>/health/*</c>), room permissions and the per-key rate limit, request parsing and the error answers, and the web
    /// console (<c>/console</c>, <c>/demo</c>: open without a key, every API call it makes carries one). The host
    /// registers the seams: the submitter (<see cref="IEventSubmitter"/>), the history store (<see cref="IHistoryReader"/>,
    /// <see cref="IHistoryReset"/>) and the presence store.
    /// </summary>
    public static IHostApplicationBuilder AddIngestApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (builder.Configuration[$"{IngestOptions.SectionName}:{nameof(IngestOptions.ApiKeysFile)}"] is { Length: > 0 } keysFile)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(keysFile), optional: false, reloadOnChange: true);
        }

        // The signing key too: the console's demo tokens read it.
        builder.RefuseInsecureSettings(apiKeys: true, signingKey: true);

        // Validated at start but bound without a change token: the key set follows reloads through ApiKeyStore, which
        // keeps the previous set when a reloaded one is invalid (an IOptionsMonitor would throw on it instead).
        services.AddOptions<IngestOptions>()
            .Configure<IConfiguration>((options, configuration) => IngestOptions.Bind(configuration.GetSection(IngestOptions.SectionName), options))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ApiKeyStore>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyStore>());
        services.AddAuthentication(ApiKeyDefaults.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, configureOptions: null);
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(ApiKeyPolicies.Fallback)
            .SetFallbackPolicy(ApiKeyPolicies.Fallback)
            .AddPolicy(ApiKeyPolicies.ApiKeyName, ApiKeyPolicies.Fallback)
            .AddPolicy(ApiKeyPolicies.EveryRoomName, ApiKeyPolicies.EveryRoom);
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = ApiKeyRateLimiter.Create();
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = ApiKeyRateLimiter.OnRejectedAsync;
        });

        services.AddEventDataRules();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IngestMetrics>();
        services.AddSingleton<RequestBodyReader>();
        services.AddSingleton<EventPublisher>();
        services.AddSingleton<PublishRequestHandler>();
        services.AddExceptionHandler<UnhandledExceptionHandler>();
        services.AddFanoutConsole();

        // History answers carry event data nested up to Events:MaxDataDepth (≤ 200) inside three levels of
        // wrapper; the serializer's default limit of 64 would fail on them.
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.MaxDepth = 512);
        return builder;
    }
}
