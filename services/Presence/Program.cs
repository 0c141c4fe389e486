using Fanout.Presence.Extensions;
using Fanout.ServiceDefaults;

namespace Fanout.Presence;

/// <summary>
/// The presence service: declares realtime nodes dead when their heartbeats lapse (and cleans up after them), and
/// relays join/leave to the rooms' subscribers.
/// </summary>
public partial class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddServiceDefaults();
        builder.AddPresenceServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.RunAsync();
    }
}
