using System.Collections.Concurrent;
using System.IO.Compression;
using Fanout.Testing.Stack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>
/// A tiny OTLP/HTTP trace receiver on 127.0.0.1 (what a collector would be): accepts <c>POST /v1/traces</c> in
/// protobuf, keeps every span it got. The services export to it with <c>Telemetry:Otlp:Protocol=http/protobuf</c>.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly ConcurrentQueue<string> _metricsExports = new();
    private int _requests;

    private OtlpReceiver(int port)
    {
        Port = port;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _app = builder.Build();
        _app.MapPost("/v1/traces", ReceiveAsync);
        _app.MapPost("/v1/metrics", ReceiveMetricsAsync);
    }

    public int Port { get; }

    /// <summary>The base URL to configure as the OTLP endpoint (the exporter adds <c>/v1/traces</c>).</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    public int Requests => Volatile.Read(ref _requests);

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    /// <summary>
    /// The metrics export requests received, each as its protobuf bytes read as Latin-1 (not decoded: the names of
    /// services, meters and instruments are plain strings inside, enough to tell what was sent).
    /// </summary>
    public IReadOnlyList<string> MetricsExports => [.. _metricsExports];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver(FreePort.Next());
        await receiver._app.StartAsync();
        return receiver;
    }

    public IReadOnlyList<ReceivedSpan> SpansOf(string traceId) => _spans.Where(s => s.TraceId == traceId).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> ReceiveMetricsAsync(HttpRequest request)
    {
        var body = await ReadAsync(request);
        _metricsExports.Enqueue(System.Text.Encoding.Latin1.GetString(body));
        return Results.Bytes([], "application/x-protobuf");
    }

    private static async Task<byte[]> ReadAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress);
            await gzip.CopyToAsync(body);
        }
        else
        {
            await request.Body.CopyToAsync(body);
        }

        return body.ToArray();
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        foreach (var span in OtlpTraceRequest.Decode(await ReadAsync(request)))
        {
            _spans.Enqueue(span);
        }

        Interlocked.Increment(ref _requests);
        // An empty ExportTraceServiceResponse: everything accepted.
        return Results.Bytes([], "application/x-protobuf");
    }
}
