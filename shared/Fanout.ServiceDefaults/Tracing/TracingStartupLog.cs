using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.ServiceDefaults.Tracing;

/// <summary>The one line (event 7001) every service logs at start about its tracing.</summary>
internal sealed partial class TracingStartupLog(TracingSettings settings, ILogger<TracingStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogTracing(logger, settings.Describe());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Tracing {Tracing}")]
    private static partial void LogTracing(ILogger logger, string tracing);
}
