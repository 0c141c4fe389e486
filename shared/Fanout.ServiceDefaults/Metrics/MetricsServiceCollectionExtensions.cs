using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Fanout.ServiceDefaults.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>Where every service serves its metrics.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The content type of text format 0.0.4.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The collector behind <c>/metrics</c>, started with the host (before the services' own hosted services).</summary>
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(sp => new PrometheusMetricsCollector(sp.GetRequiredService<IMeterFactory>()));
        services.AddHostedService<MetricsStartup>();
        return services;
    }

    /// <summary>
    /// Registers <typeparamref name="T"/> (a class that creates instruments, observable gauges among them) as a
    /// singleton that is created when the host starts, so its instruments exist even if nothing else asks for it.
    /// </summary>
    public static IServiceCollection AddMetricsSource<T>(this IServiceCollection services)
        where T : class
    {
        services.TryAddSingleton<T>();
        services.AddSingleton(new MetricsSource(typeof(T)));
        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c>: every metric in the Prometheus text format 0.0.4, for scrapers on the internal network, not
    /// to be published (docs/operations.md). With <c>Management:Port</c> set it is served on that port only, with no key
    /// or token; otherwise on the service's port, open like <c>/health/live</c> unless <paramref name="policy"/> (an
    /// authorization policy's name) is given.
    /// </summary>
    public static IEndpointRouteBuilder MapPrometheusMetrics(this IEndpointRouteBuilder app, string? policy = null)
    {
        var endpoint = app.MapGet(MetricsPath, async (HttpContext context, PrometheusMetricsCollector collector) =>
        {
            var text = collector.Render();
            context.Response.ContentType = ContentType;
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsync(text, context.RequestAborted);
        }).ExcludeFromDescription();

        var port = app.ServiceProvider.GetRequiredService<IOptions<ManagementOptions>>().Value.Port;
        if (port is not null)
        {
            endpoint.RequireHost($"*:{port}").AllowAnonymous();
        }
        else if (policy is not null)
        {
            endpoint.RequireAuthorization(policy);
        }
        else
        {
            endpoint.AllowAnonymous();
        }

        return app;
    }

    /// <summary>A type <see cref="MetricsStartup"/> resolves at start.</summary>
    internal sealed record MetricsSource(Type Type);

    private sealed class MetricsStartup(PrometheusMetricsCollector collector, IEnumerable<MetricsSource> sources, IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            collector.Start();
            foreach (var source in sources)
            {
                services.GetRequiredService(source.Type);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
