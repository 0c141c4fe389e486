using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Fanout.ServiceDefaults.Metrics;

/// <summary>Adds the management port (<see cref="ManagementOptions.Port"/>) to the addresses the server listens on.</summary>
internal static class ManagementPort
{
    /// <summary>
    /// The port when one is configured. The server's addresses (<c>urls</c>, or <c>http_ports</c> as containers set
    /// <c>ASPNETCORE_HTTP_PORTS</c>, or Kestrel's default) keep working and <c>http://*:port</c> is added to them.
    /// </summary>
    public static int? Listen(IHostApplicationBuilder builder)
    {
        if (!int.TryParse(builder.Configuration[$"{ManagementOptions.SectionName}:{nameof(ManagementOptions.Port)}"], out var port)
            || port is < 1 or > 65535)
        {
            return null; // Unset; an invalid value is refused by the options validation at start.
        }

        var urls = builder.Configuration["urls"];
        if (string.IsNullOrWhiteSpace(urls))
        {
            var httpPorts = builder.Configuration["http_ports"];
            urls = string.IsNullOrWhiteSpace(httpPorts)
                ? "http://localhost:5000"
                : string.Join(';', httpPorts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"));
        }

        builder.Configuration["urls"] = $"{urls};http://*:{port}";
        return port;
    }
}
