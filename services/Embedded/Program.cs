using System.ComponentModel.DataAnnotations;
using Fanout.Embedded.Extensions;
using Fanout.History.Sqlite;
using Fanout.Ingest.Auth;
using Fanout.ServiceDefaults;
using Fanout.ServiceDefaults.Security;
using Fanout.WebConsole;

namespace Fanout.Embedded;

/// <summary>
/// Fanout in one process: the HTTP API, the hub, the sequencer, history in SQLite and presence in memory, on one port.
/// The database is opened before the host starts, so a data directory or a file it cannot use stops the process with
/// one line on stderr (exit code 2); so do insecure settings outside Development (the development API or signing key, a
/// short signing key, no API key).
/// </summary>
public partial class Program
{
    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var options = builder.Configuration.GetSection(SqliteHistoryOptions.SectionName).Get<SqliteHistoryOptions>() ?? new SqliteHistoryOptions();
        SqliteHistoryDatabase database;
        try
        {
            database = SqliteHistoryDatabase.Open(options);
        }
        catch (Exception ex) when (ex is SqliteHistoryUnavailableException or ValidationException)
        {
            await Console.Error.WriteLineAsync($"fanout: cannot start: {ex.Message}");
            return 2;
        }

        using (database)
        {
            try
            {
                builder.AddServiceDefaults();
                builder.AddEmbeddedServices(database);
            }
            catch (InsecureSettingsException ex)
            {
                await Console.Error.WriteLineAsync($"fanout: cannot start: {ex.Message}");
                return 2;
            }

            var app = builder.Build();
            app.UseEmbeddedPipeline();
            app.MapDefaultEndpoints(ApiKeyPolicies.ApiKeyName);
            app.MapEmbeddedEndpoints();
            app.MapFanoutConsole();
            await app.RunAsync();
        }

        return 0;
    }
}
