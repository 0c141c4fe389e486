using Fanout.Bench.Scenarios;

namespace Fanout.Bench.Results;

/// <summary>Puts a session's totals and one measured window together into a <see cref="BenchResult"/>.</summary>
public static class ResultBuilder
{
    public static BenchResult Build(string scenario, BenchSession session, WindowMeasurement window)
    {
        var settings = session.Settings;
        var all = session.EvaluateAll();
        return new BenchResult
        {
            Scenario = scenario,
            Rooms = settings.Rooms,
            ClientsPerRoom = settings.ClientsPerRoom,
            Clients = settings.Clients,
            Rate = settings.Rate,
            DurationSeconds = settings.DurationSeconds,
            WarmupSeconds = settings.WarmupSeconds,
            Publisher = settings.Publisher,
            Connect = session.Pool.Summary,
            Published = all.Published,
            PublishFailed = session.Log.FailedTotal,
            ExpectedDeliveries = all.ExpectedDeliveries,
            Received = all.Received,
            Lost = all.Lost,
            LossPercent = all.LossPercent,
            Duplicated = all.Duplicated,
            OutOfOrder = session.Pool.OutOfOrder,
            PublishedInWindow = window.Delivery.Published,
            WindowSeconds = Math.Round(window.Run.Seconds, 3),
            PublishRate = window.PublishRate,
            DeliveriesPerSec = window.DeliveriesPerSec,
            LatencyMs = window.LatencyMs,
            PublishAckMs = session.Publisher.AckLatency.Summary(),
            ServerCpuMsPer1kDeliveries = window.ServerCpuMsPer1kDeliveries,
            Cpu = window.Cpu,
            UnexpectedDisconnects = session.Pool.UnexpectedCloses,
            WrongRoom = session.Pool.WrongRoom,
            PublishFailReasons = new Dictionary<string, int>(session.Log.FailReasons, StringComparer.Ordinal),
        };
    }
}
