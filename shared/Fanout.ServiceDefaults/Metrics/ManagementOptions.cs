using System.ComponentModel.DataAnnotations;

namespace Fanout.ServiceDefaults.Metrics;

/// <summary>
/// A separate management port (section <c>Management</c>): when <see cref="Port"/> is set, the process also listens on
/// it and serves <c>/metrics</c> there only, with no key; keep that port on the internal network. Unset, <c>/metrics</c>
/// is on the service's own port (Ingest and the embedded mode then ask for an API key, since their metrics name keys).
/// </summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>The management port (1–65535), or none.</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }
}
