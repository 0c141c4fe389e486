namespace Fanout.Ingest;

/// <summary>Declared partial so tests can host the real application (<c>WebApplicationFactory&lt;Program&gt;</c>).</summary>
public partial class Program;
