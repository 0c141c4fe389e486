using System.Globalization;

namespace Fanout.Bench.Metrics;

/// <summary>Reads a process's resident memory from Linux <c>/proc</c>.</summary>
public static class ProcMemory
{
    /// <summary>Resident set size (<c>VmRSS</c> of <c>/proc/&lt;pid&gt;/status</c>) in bytes; null when it cannot be read.</summary>
    public static long? RssBytes(int pid)
    {
        try
        {
            // "VmRSS:	  219328 kB"
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            if (line is null)
            {
                return null;
            }

            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(fields[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
