using System.Buffers;
using System.Text.Json;

namespace Fanout.Ingest.Requests;

/// <summary>
/// A parsed request body. The document reads from a pooled buffer, so both live until this is disposed:
/// copy what must outlive it (the event data validators return compact clones).
/// </summary>
public sealed class JsonRequestBody : IDisposable
{
    private readonly byte[] _buffer;
    private readonly JsonDocument _document;

    internal JsonRequestBody(byte[] buffer, JsonDocument document)
    {
        _buffer = buffer;
        _document = document;
    }

    public JsonElement Root => _document.RootElement;

    public void Dispose()
    {
        _document.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }
}
