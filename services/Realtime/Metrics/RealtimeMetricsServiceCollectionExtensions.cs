using Fanout.ServiceDefaults;
using Fanout.ServiceDefaults.Metrics;

namespace Fanout.Realtime.Metrics;

public static class RealtimeMetricsServiceCollectionExtensions
{
    /// <summary>The node's gauges and how rooms are grouped in them (<c>Realtime:Metrics</c>); the counters are static (<see cref="RealtimeMetrics"/>).</summary>
    public static IServiceCollection AddRealtimeMetrics(this IServiceCollection services)
    {
        services.AddValidatedOptions<RealtimeMetricsOptions>(RealtimeMetricsOptions.SectionName);
        services.AddSingleton<RoomBuckets>();
        services.AddMetricsSource<RealtimeGauges>();
        return services;
    }
}
