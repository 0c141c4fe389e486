using System.Globalization;

namespace Fanout.Bench.Metrics;

/// <summary>Reads CPU time from Linux <c>/proc</c>.</summary>
public static class ProcStat
{
    /// <summary>
    /// Clock ticks per second of <c>/proc</c> times: <c>sysconf(_SC_CLK_TCK)</c>, which is 100 on every Linux
    /// architecture .NET runs on (the kernel's USER_HZ, independent of its internal HZ).
    /// </summary>
    public const double ClockTicksPerSecond = 100;

    /// <summary>utime + stime of every thread of <paramref name="pid"/> in seconds; null when it cannot be read.</summary>
    public static double? ProcessCpuSeconds(int pid) => Ticks(pid, withReapedChildren: false) / ClockTicksPerSecond;

    /// <summary>
    /// CPU seconds of <paramref name="pid"/> and its descendants (PostgreSQL works in child processes): the process's
    /// own time, the time of children it has reaped, and the time of children still alive. Null when unreadable.
    /// </summary>
    public static double? ProcessTreeCpuSeconds(int pid)
    {
        var own = Ticks(pid, withReapedChildren: true);
        return own is null ? null : (own + Children(pid).Sum(c => TreeTicks(c, depth: 1))) / ClockTicksPerSecond;
    }

    private static long TreeTicks(int pid, int depth) =>
        (Ticks(pid, withReapedChildren: true) ?? 0) + (depth < 4 ? Children(pid).Sum(c => TreeTicks(c, depth + 1)) : 0);

    private static long? Ticks(int pid, bool withReapedChildren)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces and parentheses; the fields after the last ')' do not.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var count = withReapedChildren ? 4 : 2;
            return fields.Skip(11).Take(count).Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static List<int> Children(int pid)
    {
        try
        {
            return Directory.EnumerateDirectories($"/proc/{pid}/task")
                .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(c => int.Parse(c, CultureInfo.InvariantCulture))
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return [];
        }
    }

    /// <summary>The machine's (busy, total) CPU seconds summed over all cores, from the first line of <c>/proc/stat</c>.</summary>
    public static (double Busy, double Total)? MachineCpuSeconds()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var total = values.Sum();
            var idle = values[3] + values[4];
            return ((total - idle) / ClockTicksPerSecond, total / ClockTicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
