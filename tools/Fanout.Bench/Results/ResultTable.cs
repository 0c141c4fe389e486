using System.Globalization;
using Fanout.Bench.Metrics;
using Spectre.Console;

namespace Fanout.Bench.Results;

/// <summary>The human summary of a result: one table, plus the ramp steps when there are any.</summary>
public static class ResultTable
{
    public static void Write(IAnsiConsole console, BenchResult r)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(new TableTitle($"fanout-bench {r.Scenario}", Style.Plain)).AddColumns("metric", "value");
        Row(table, "clients", $"{r.Connect.Ok}/{r.Clients} connected in {r.Connect.Seconds} s ({r.Rooms} rooms × {r.ClientsPerRoom})");
        Row(table, "published", $"{r.Published} ({r.PublishFailed} failed); window {r.PublishedInWindow} at {r.PublishRate}/s over {r.WindowSeconds} s");
        Row(table, "deliveries", $"expected {r.ExpectedDeliveries}, received {r.Received}, lost {r.Lost} ({F(r.LossPercent)} %)");
        Row(table, "duplicated / out of order", $"{r.Duplicated} / {r.OutOfOrder}");
        Row(table, "deliveries/s", F(r.DeliveriesPerSec));
        Row(table, "latency ms", Latency(r.LatencyMs));
        Row(table, "publish ack ms", Latency(r.PublishAckMs));
        Row(table, "server CPU", $"{r.Cpu.ServerCpuSeconds} s ({r.Cpu.ServerCores} cores) = {F(r.ServerCpuMsPer1kDeliveries)} ms / 1k deliveries");
        Row(table, "server CPU by pid (s)", string.Join(", ", r.Cpu.ServerCpuByPidSeconds.Select(p => $"{p.Key}={F(p.Value)}")));
        Row(table, "bench CPU / machine", $"{r.Cpu.BenchCores} cores; machine {F(r.Cpu.MachineUtilization)}, other {F(r.Cpu.OtherCores)} cores");
        Row(table, "unexpected disconnects", r.UnexpectedDisconnects.ToString(CultureInfo.InvariantCulture));
        if (r.Reconnect is { } x)
        {
            Row(table, "reconnect", $"{x.Back}/{x.Dropped} back ({x.Failed} failed), recovered true {x.RecoveredTrue} / false {x.RecoveredFalse}, replayed {x.ReplayedReported}");
            Row(table, "reconnect ms p50 / max", $"{F(x.ReconnectMsP50)} / {F(x.ReconnectMsMax)}");
            Row(table, "gap events", $"expected {x.GapEventsExpected}, lost {x.GapEventsLost} ({x.ClientsWithGapLoss} clients with loss)");
        }

        if (r.IdleConnections is { } idle)
        {
            IdleConnectionRows(table, idle);
        }

        if (r.Steps is { } steps)
        {
            foreach (var s in steps)
            {
                Row(table, $"step {s.Step} ({s.TargetRate}/s)",
                    $"{(s.Held ? "held" : "FAILED")}: {s.DeliveriesPerSec} deliv/s, {Latency(s.LatencyMs)}, loss {F(s.LossPercent)} %, {F(s.ServerCpuMsPer1kDeliveries)} cpu-ms/1k");
            }

            Row(table, "stop", r.StopReason ?? "");
            Row(table, "max sustained", r.MaxSustained is { } m ? $"{m.DeliveriesPerSec} deliveries/s ({m.PublishRate} events/s)" : "none");
        }

        console.Write(table);
    }

    private static void IdleConnectionRows(Table table, IdleConnectionsSummary m)
    {
        string Readings(Func<MemoryReading, double?> value) =>
            string.Join(" / ", new[] { m.Before, m.Connected, m.AfterProbe, m.After }.Select(reading => F(value(reading))));

        Row(table, "node", $"{m.Node}: pid {m.Pid}, {m.NodeUrl}; readings after {F(m.SettleSeconds)} s settles");
        Row(table, "node RSS MiB: before / connected / after probe / closed", Readings(x => x.NodeRssMiB));
        Row(table, "RSS growth per connection", $"{F(m.GrowthPerConnectionKiB)} KiB ({F(m.NodeRssGrowthMiB)} MiB / {m.ConnectionsOk} connections)");
        Row(table, "returned once closed", $"{F(m.ReturnedPercent)} % (closing took {F(m.DisconnectSeconds)} s)");
        Row(table, "probe delivered / expected", $"{m.ProbeDelivered} / {m.ProbeExpected}");
        Row(table, "node /metrics: connections", Readings(x => x.NodeConnections));
        Row(table, "node /metrics: GC heap MiB at its last GC", Readings(x => x.NodeGcHeapMiB));
        Row(table, "node /metrics: GC committed MiB at its last GC", Readings(x => x.NodeGcCommittedMiB));
        Row(table, "node /metrics: gen2 GCs so far", Readings(x => x.NodeGen2Collections));
        Row(table, "bench RSS MiB", $"{Readings(x => x.BenchRssMiB)}: {F(m.BenchGrowthPerConnectionKiB)} KiB per connection");
        Row(table, "bench GC heap MiB", Readings(x => x.BenchGcHeapMiB));
    }

    private static void Row(Table table, string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));

    private static string Latency(LatencySummary l) =>
        l.Count == 0 ? "n/a" : $"p50 {F(l.P50)} / p95 {F(l.P95)} / p99 {F(l.P99)} / max {F(l.Max)} (n={l.Count})";

    private static string F(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "n/a";
}
