using Fanout.ServiceDefaults;

namespace Fanout.Presence;

/// <summary>The presence service (node and client heartbeats in Redis). A skeleton until its own issue.</summary>
public partial class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddServiceDefaults();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.RunAsync();
    }
}
