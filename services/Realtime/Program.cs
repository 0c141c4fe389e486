using Fanout.Realtime.Extensions;
using Fanout.ServiceDefaults;

namespace Fanout.Realtime;

/// <summary>A realtime node: the SignalR hub clients subscribe and publish through.</summary>
public partial class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddServiceDefaults();
        builder.AddRealtimeServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapRealtimeEndpoints();
        await app.RunAsync();
    }
}
