using System.CommandLine;
using Fanout.Bench.Scenarios;
using Fanout.Bench.Settings;

namespace Fanout.Bench.Cli;

/// <summary>The commands: <c>steady</c>, <c>ramp</c>, <c>reconnect-storm</c>, <c>idle-connections</c>, <c>history-cost</c>.</summary>
public static class BenchCommandLine
{
    public static RootCommand Build()
    {
        var common = new BenchOptionSet();
        var root = new RootCommand("Fanout load generator: subscribers over SignalR, a paced HTTP publisher, loss/latency/CPU/memory.");
        root.Subcommands.Add(Steady(common));
        root.Subcommands.Add(Ramp(common));
        root.Subcommands.Add(ReconnectStorm(common));
        root.Subcommands.Add(IdleConnectionsCommand.Build(common));
        root.Subcommands.Add(HistoryCostCommand.Build());
        return root;
    }

    private static Command Steady(BenchOptionSet common)
    {
        var command = WithCommon(new Command("steady", "publish at --rate for --duration s after --warmup s"), common);
        command.SetAction((parse, ct) => BenchRunner.RunAsync(new SteadyScenario(), common.Read(parse), parse.GetValue(common.JsonOnly), ct));
        return command;
    }

    private static Command Ramp(BenchOptionSet common)
    {
        var defaults = new RampSettings();
        var step = new Option<double>("--step") { Description = "seconds per step", DefaultValueFactory = _ => defaults.StepSeconds };
        var factor = new Option<double>("--ramp-factor") { Description = "rate multiplier per step", DefaultValueFactory = _ => defaults.Factor };
        var maxSteps = new Option<int>("--max-steps") { Description = "steps at most", DefaultValueFactory = _ => defaults.MaxSteps };
        var p99 = new Option<double>("--p99-limit-ms") { Description = "a step holds while p99 <= this", DefaultValueFactory = _ => defaults.P99LimitMs };
        var command = WithCommon(new Command("ramp", "rising rate, ×factor per step, until a step fails"), common);
        command.Options.Add(step);
        command.Options.Add(factor);
        command.Options.Add(maxSteps);
        command.Options.Add(p99);
        command.SetAction((parse, ct) =>
        {
            var settings = common.Read(parse) with
            {
                Ramp = new RampSettings
                {
                    StepSeconds = parse.GetValue(step),
                    Factor = parse.GetValue(factor),
                    MaxSteps = Math.Clamp(parse.GetValue(maxSteps), 1, 250),
                    P99LimitMs = parse.GetValue(p99),
                },
            };
            return BenchRunner.RunAsync(new RampScenario(), settings, parse.GetValue(common.JsonOnly), ct);
        });
        return command;
    }

    private static Command ReconnectStorm(BenchOptionSet common)
    {
        var defaults = new ReconnectStormSettings();
        var dropAt = new Option<double>("--drop-at") { Description = "seconds into the window when clients drop", DefaultValueFactory = _ => defaults.DropAtSeconds };
        var gap = new Option<double>("--gap") { Description = "seconds the clients stay away", DefaultValueFactory = _ => defaults.GapSeconds };
        var nodeIndex = new Option<int?>("--node-index") { Description = "only this node's clients drop (default: all)" };
        var command = WithCommon(new Command("reconnect-storm", "drop clients mid-window, resubscribe from the last seq seen"), common);
        command.Options.Add(dropAt);
        command.Options.Add(gap);
        command.Options.Add(nodeIndex);
        command.SetAction((parse, ct) =>
        {
            var settings = common.Read(parse);
            var storm = new ReconnectStormSettings { DropAtSeconds = parse.GetValue(dropAt), GapSeconds = parse.GetValue(gap), NodeIndex = parse.GetValue(nodeIndex) };
            if (storm.DropAtSeconds < 0 || storm.DropAtSeconds >= settings.DurationSeconds)
            {
                throw new ArgumentException("--drop-at must be within the window (0 <= drop-at < --duration)");
            }

            if (storm.NodeIndex is { } n && (n < 0 || n >= settings.Nodes.Count))
            {
                throw new ArgumentException($"--node-index must be 0..{settings.Nodes.Count - 1}");
            }

            return BenchRunner.RunAsync(new ReconnectStormScenario(), settings with { ReconnectStorm = storm }, parse.GetValue(common.JsonOnly), ct);
        });
        return command;
    }

    private static Command WithCommon(Command command, BenchOptionSet common)
    {
        foreach (var option in common.All)
        {
            command.Options.Add(option);
        }

        return command;
    }
}
