using Fanout.Contracts.Validation;
using Fanout.History;
using Fanout.Ingest.Api;
using Fanout.Ingest.Auth;
using Fanout.Ingest.Options;
using Fanout.Ingest.Requests;
using Fanout.Ingest.Submission;
using Fanout.Messaging;
using Fanout.ServiceDefaults;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Fanout.Ingest.Extensions;

public static class IngestServiceCollectionExtensions
{
    /// <summary>
    /// Options, API key authentication (required on every route but <c>/health/*</c>), the broker submitter, the
    /// history reader, request parsing and the error answers.
    /// </summary>
    public static IHostApplicationBuilder AddIngestServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<IngestOptions>(IngestOptions.SectionName);
        services.AddFanoutMessaging(builder.Configuration, "ingest");
        services.AddFanoutHistory(builder.Configuration);

        services.AddSingleton<ApiKeyStore>();
        services.AddAuthentication(ApiKeyDefaults.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, configureOptions: null);
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(ApiKeyPolicies.Fallback)
            .SetFallbackPolicy(ApiKeyPolicies.Fallback);

        services.AddEventDataRules();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IngestMetrics>();
        services.AddSingleton<RequestBodyReader>();
        services.AddSingleton<EventPublisher>();
        services.AddSingleton<PublishRequestHandler>();
        services.AddExceptionHandler<UnhandledExceptionHandler>();

        // History answers carry event data nested up to Events:MaxDataDepth (≤ 200) inside three levels of
        // wrapper; the serializer's default limit of 64 would fail on them.
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.MaxDepth = 512);
        return builder;
    }
}
