using Fanout.Bench.Cli;

return await BenchCommandLine.Build().Parse(args).InvokeAsync();
