using Fanout.Ingest.Api;
using Fanout.Ingest.Auth;
using Fanout.Ingest.Extensions;
using Fanout.ServiceDefaults;
using Fanout.ServiceDefaults.Security;
using Fanout.WebConsole;

namespace Fanout.Ingest;

/// <summary>The HTTP API for backends. Insecure settings outside Development stop it with one line on stderr (exit code 2).</summary>
public partial class Program
{
    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        try
        {
            builder.AddServiceDefaults();
            builder.AddIngestServices();
        }
        catch (InsecureSettingsException ex)
        {
            await Console.Error.WriteLineAsync($"fanout: cannot start: {ex.Message}");
            return 2;
        }

        var app = builder.Build();
        app.UseIngestPipeline();
        app.MapDefaultEndpoints(ApiKeyPolicies.ApiKeyName);
        app.MapIngestApi();
        app.MapFanoutConsole();
        await app.RunAsync();
        return 0;
    }
}
