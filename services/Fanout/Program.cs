using Fanout.Sequencer.Extensions;
using Fanout.ServiceDefaults;

namespace Fanout.Sequencer;

/// <summary>The fanout service: sequences accepted events per room, stores them, routes them to the owning nodes.</summary>
public partial class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddServiceDefaults();
        builder.AddSequencerServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.RunAsync();
    }
}
