using Fanout.Ingest.Api;
using Fanout.Ingest.Extensions;
using Fanout.ServiceDefaults;
using Fanout.WebConsole;

namespace Fanout.Ingest;

public partial class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddServiceDefaults();
        builder.AddIngestServices();

        var app = builder.Build();
        app.UseIngestPipeline();
        app.MapDefaultEndpoints();
        app.MapIngestApi();
        app.MapFanoutConsole();
        await app.RunAsync();
    }
}
