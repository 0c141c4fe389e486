using System.Globalization;

namespace Fanout.Bench.Settings;

/// <summary>A server process whose CPU is charged to the system under test.</summary>
public sealed record ServerPid(string Label, int Pid)
{
    /// <summary>Parses <c>label=PID,label=PID,…</c> (a bare PID is labelled <c>pid{PID}</c>).</summary>
    public static IReadOnlyList<ServerPid> ParseList(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Parse)
            .ToList();
    }

    private static ServerPid Parse(string item)
    {
        var eq = item.IndexOf('=');
        var pidText = eq >= 0 ? item[(eq + 1)..] : item;
        if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
        {
            throw new FormatException($"--server-pids: '{item}' is not label=PID");
        }

        return new ServerPid(eq > 0 ? item[..eq] : $"pid{pid}", pid);
    }
}
