namespace Fanout.History.Retention;

/// <summary>
/// Limits for the rooms whose id matches <see cref="Pattern"/> (a glob: <c>*</c> matches any run of characters,
/// everything else itself, e.g. <c>chat:*</c>). A limit left unset is the default's.
/// </summary>
public sealed class RetentionRule
{
    public string Pattern { get; set; } = string.Empty;

    /// <summary>Most events kept; 0 for an ephemeral room that keeps no history.</summary>
    public int? MaxEvents { get; set; }

    public TimeSpan? MaxAge { get; set; }
}
