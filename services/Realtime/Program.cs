using Fanout.Realtime.Extensions;
using Fanout.ServiceDefaults;
using Fanout.ServiceDefaults.Security;

namespace Fanout.Realtime;

/// <summary>
/// A realtime node: the SignalR hub clients subscribe and publish through. Insecure settings outside Development stop it
/// with one line on stderr (exit code 2).
/// </summary>
public partial class Program
{
    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        try
        {
            builder.AddServiceDefaults();
            builder.AddRealtimeServices();
        }
        catch (InsecureSettingsException ex)
        {
            await Console.Error.WriteLineAsync($"fanout: cannot start: {ex.Message}");
            return 2;
        }

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapRealtimeEndpoints();
        await app.RunAsync();
        return 0;
    }
}
