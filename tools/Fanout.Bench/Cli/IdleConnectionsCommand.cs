using System.CommandLine;
using Fanout.Bench.Scenarios;
using Fanout.Bench.Settings;

namespace Fanout.Bench.Cli;

/// <summary>The <c>idle-connections</c> command: its own workload options over the shared target options.</summary>
public static class IdleConnectionsCommand
{
    public static Command Build(BenchOptionSet common)
    {
        var defaults = new IdleConnectionsSettings();
        var connections = new Option<int>("--connections") { Description = "connections, all to one node", DefaultValueFactory = _ => defaults.Connections };
        var nodeIndex = new Option<int>("--node-index") { Description = "the node (index into --nodes) that gets them", DefaultValueFactory = _ => defaults.NodeIndex };
        var nodePid = new Option<int?>("--node-pid") { Description = "that node's pid (default: the --server-pids entry labelled realtime-<index + 1>)" };
        var rooms = new Option<int>("--rooms") { Description = "rooms the connections are spread over, one each", DefaultValueFactory = _ => defaults.Rooms };
        var settle = new Option<double>("--settle-seconds") { Description = "wait before each memory reading", DefaultValueFactory = _ => defaults.SettleSeconds };
        var probe = new Option<int>("--probe-events-per-room")
        {
            Description = "events published to every room while connected, each checked at every connection (0: none)",
            DefaultValueFactory = _ => defaults.ProbeEventsPerRoom,
        };
        var command = new Command("idle-connections",
            "node RSS before connecting, with N idle subscribed connections, and after they closed: KiB per connection, % returned");
        foreach (var option in common.Target.Concat([connections, nodeIndex, nodePid, rooms, settle, probe]))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) =>
        {
            var settings = common.ReadTarget(parse) with
            {
                IdleConnections = new IdleConnectionsSettings
                {
                    Connections = parse.GetValue(connections),
                    NodeIndex = parse.GetValue(nodeIndex),
                    NodePid = parse.GetValue(nodePid),
                    Rooms = parse.GetValue(rooms),
                    SettleSeconds = parse.GetValue(settle),
                    ProbeEventsPerRoom = parse.GetValue(probe),
                },
            };
            return BenchRunner.RunAsync((status, opened, token) => IdleConnectionsScenario.RunAsync(settings, status, opened, token),
                parse.GetValue(common.JsonOnly), ct);
        });
        return command;
    }
}
