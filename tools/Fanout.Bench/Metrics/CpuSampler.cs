using Fanout.Bench.Settings;

namespace Fanout.Bench.Metrics;

/// <summary>Samples the CPU time of the server pids (with their child processes), of this process and of the machine at the start and end of a window.</summary>
public sealed class CpuSampler(IReadOnlyList<ServerPid> serverPids)
{
    private double _startMs;
    private double?[] _serverStart = [];
    private double _benchStart;
    private (double Busy, double Total)? _machineStart;

    public void Start()
    {
        _startMs = BenchClock.NowMs;
        _serverStart = serverPids.Select(p => ProcStat.ProcessTreeCpuSeconds(p.Pid)).ToArray();
        _benchStart = ProcStat.ProcessCpuSeconds(Environment.ProcessId) ?? 0;
        _machineStart = ProcStat.MachineCpuSeconds();
    }

    public CpuUsage Stop()
    {
        var wall = Math.Max(1e-3, (BenchClock.NowMs - _startMs) / 1000);
        var byPid = new Dictionary<string, double?>(StringComparer.Ordinal);
        double server = 0;
        for (var i = 0; i < serverPids.Count; i++)
        {
            var end = ProcStat.ProcessTreeCpuSeconds(serverPids[i].Pid);
            double? used = end is { } e && _serverStart[i] is { } s ? Math.Round(e - s, 3) : null;
            byPid[serverPids[i].Label] = used;
            server += used ?? 0;
        }

        var bench = (ProcStat.ProcessCpuSeconds(Environment.ProcessId) ?? _benchStart) - _benchStart;
        double? utilization = null;
        double? other = null;
        if (_machineStart is { } m0 && ProcStat.MachineCpuSeconds() is { } m1 && m1.Total > m0.Total)
        {
            utilization = (m1.Busy - m0.Busy) / (m1.Total - m0.Total);
            var busyCores = utilization.Value * Environment.ProcessorCount;
            other = Math.Round(Math.Max(0, busyCores - (server / wall) - (bench / wall)), 3);
            utilization = Math.Round(utilization.Value, 3);
        }

        return new CpuUsage(Math.Round(wall, 3), Math.Round(server, 3), byPid, Math.Round(server / wall, 3),
            Math.Round(bench, 3), Math.Round(bench / wall, 3), utilization, other);
    }
}
