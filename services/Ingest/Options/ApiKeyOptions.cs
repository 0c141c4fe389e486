namespace Fanout.Ingest.Options;

/// <summary>One API key a backend publishes with (<c>Ingest:ApiKeys:{i}:Name</c> and <c>:Key</c>).</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Who holds the key; appears in logs, never the key itself.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The secret sent as <c>Authorization: Bearer &lt;key&gt;</c>; at least <see cref="IngestOptions.MinKeyLength"/> characters.</summary>
    public string Key { get; set; } = string.Empty;
}
