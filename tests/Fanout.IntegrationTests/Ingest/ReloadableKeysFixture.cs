using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>
/// Ingest whose keys come from a JSON file of their own (<c>Ingest:ApiKeysFile</c>), as an operator would mount one,
/// so a test can rotate keys while it runs. Starts with <see cref="IngestAppFixture.ApiKey"/> as <c>test</c>.
/// </summary>
public sealed class ReloadableKeysFixture : IngestAppFixture
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("fanout-apikeys-");

    public ReloadableKeysFixture()
    {
        WriteKeys(("test", ApiKey));
    }

    public string KeysFile => Path.Combine(_directory.FullName, "apikeys.json");

    public LogCapture Logs { get; } = new();

    protected override IReadOnlyDictionary<string, string> KeySettings { get; } = new Dictionary<string, string>();

    protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
    {
        ["Ingest:ApiKeysFile"] = KeysFile,
    };

    /// <summary>Replaces the key file (atomically, as operators should) with these keys, each configured as its hash.</summary>
    public void WriteKeys(params (string Name, string Key)[] keys) =>
        WriteEntries(keys.Select(k => (object)new { k.Name, Hash = "sha256:" + HashOf(k.Key) }).ToArray());

    /// <summary>Replaces the key file with these <c>Ingest:ApiKeys</c> entries, valid or not.</summary>
    public void WriteEntries(params object[] entries)
    {
        var json = JsonSerializer.Serialize(new { Ingest = new { ApiKeys = entries } });
        var temporary = KeysFile + ".tmp";
        File.WriteAllText(temporary, json);
        File.Move(temporary, KeysFile, overwrite: true);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.ConfigureLogging(logging => logging.AddProvider(Logs));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Delete(recursive: true);
    }
}
