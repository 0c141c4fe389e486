namespace Fanout.Bench.Metrics;

/// <summary>
/// CPU spent over one measured window: by the servers (per label; null when a pid could not be read), by the bench
/// itself, and by anything else on the machine (<see cref="OtherCores"/>: busy cores not explained by either).
/// </summary>
public sealed record CpuUsage(
    double WallSeconds,
    double ServerCpuSeconds,
    IReadOnlyDictionary<string, double?> ServerCpuByPidSeconds,
    double ServerCores,
    double BenchCpuSeconds,
    double BenchCores,
    double? MachineUtilization,
    double? OtherCores);
