using System.Buffers.Binary;
using System.Text;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>One span as an OTLP receiver gets it, with the resource's <c>service.name</c> and the scope (ActivitySource) name.</summary>
public sealed record ReceivedSpan(
    string ServiceName,
    string Scope,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    int Kind,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<(string TraceId, string SpanId)> Links)
{
    public const int KindServer = 2;
    public const int KindProducer = 4;
    public const int KindConsumer = 5;

    public string? Attribute(string key) => Attributes.GetValueOrDefault(key);

    public override string ToString() => $"{ServiceName}/{Scope} '{Name}' kind {Kind} {TraceId}/{SpanId} parent {ParentSpanId}";
}

/// <summary>
/// Reads an OTLP/HTTP <c>ExportTraceServiceRequest</c> (protobuf) far enough for the tests: spans with their ids, parent,
/// name, kind, attributes (as text) and links, and the <c>service.name</c> of their resource. No protobuf package: the
/// exporter does not bring Google.Protobuf, and the few fields needed are read by hand (field numbers from
/// opentelemetry-proto <c>trace/v1/trace.proto</c>, <c>common/v1/common.proto</c>).
/// </summary>
public static class OtlpTraceRequest
{
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    public static List<ReceivedSpan> Decode(ReadOnlySpan<byte> request)
    {
        var spans = new List<ReceivedSpan>();
        var reader = new Reader(request);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == 1 && wireType == WireLengthDelimited)
            {
                ReadResourceSpans(reader.Bytes(), spans);
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return spans;
    }

    private static void ReadResourceSpans(ReadOnlySpan<byte> message, List<ReceivedSpan> spans)
    {
        var serviceName = "";
        var scopeSpans = new List<byte[]>();
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == 1 && wireType == WireLengthDelimited)
            {
                var attributes = ReadAttributes(reader.Bytes(), attributeField: 1);
                serviceName = attributes.GetValueOrDefault("service.name", "");
            }
            else if (field == 2 && wireType == WireLengthDelimited)
            {
                scopeSpans.Add(reader.Bytes().ToArray());
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        foreach (var scope in scopeSpans)
        {
            ReadScopeSpans(scope, serviceName, spans);
        }
    }

    private static void ReadScopeSpans(ReadOnlySpan<byte> message, string serviceName, List<ReceivedSpan> spans)
    {
        var scopeName = "";
        var spanMessages = new List<byte[]>();
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == 1 && wireType == WireLengthDelimited)
            {
                var scope = new Reader(reader.Bytes());
                while (scope.Next(out var scopeField, out var scopeWire))
                {
                    if (scopeField == 1 && scopeWire == WireLengthDelimited)
                    {
                        scopeName = scope.Text();
                    }
                    else
                    {
                        scope.Skip(scopeWire);
                    }
                }
            }
            else if (field == 2 && wireType == WireLengthDelimited)
            {
                spanMessages.Add(reader.Bytes().ToArray());
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        foreach (var span in spanMessages)
        {
            spans.Add(ReadSpan(span, serviceName, scopeName));
        }
    }

    private static ReceivedSpan ReadSpan(ReadOnlySpan<byte> message, string serviceName, string scopeName)
    {
        string traceId = "", spanId = "", parentSpanId = "", name = "";
        var kind = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var links = new List<(string, string)>();
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, WireLengthDelimited):
                    traceId = Convert.ToHexStringLower(reader.Bytes());
                    break;
                case (2, WireLengthDelimited):
                    spanId = Convert.ToHexStringLower(reader.Bytes());
                    break;
                case (4, WireLengthDelimited):
                    parentSpanId = Convert.ToHexStringLower(reader.Bytes());
                    break;
                case (5, WireLengthDelimited):
                    name = reader.Text();
                    break;
                case (6, WireVarint):
                    kind = (int)reader.Varint();
                    break;
                case (9, WireLengthDelimited):
                    var (key, value) = ReadKeyValue(reader.Bytes());
                    attributes[key] = value;
                    break;
                case (13, WireLengthDelimited):
                    links.Add(ReadLink(reader.Bytes()));
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new ReceivedSpan(serviceName, scopeName, traceId, spanId, parentSpanId, name, kind, attributes, links);
    }

    private static (string TraceId, string SpanId) ReadLink(ReadOnlySpan<byte> message)
    {
        string traceId = "", spanId = "";
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, WireLengthDelimited):
                    traceId = Convert.ToHexStringLower(reader.Bytes());
                    break;
                case (2, WireLengthDelimited):
                    spanId = Convert.ToHexStringLower(reader.Bytes());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return (traceId, spanId);
    }

    /// <summary>The <c>KeyValue</c> entries of field <paramref name="attributeField"/> of a message.</summary>
    private static Dictionary<string, string> ReadAttributes(ReadOnlySpan<byte> message, int attributeField)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == attributeField && wireType == WireLengthDelimited)
            {
                var (key, value) = ReadKeyValue(reader.Bytes());
                attributes[key] = value;
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return attributes;
    }

    /// <summary>A <c>KeyValue</c>; the <c>AnyValue</c> as invariant text (string, bool, int, double; others empty).</summary>
    private static (string Key, string Value) ReadKeyValue(ReadOnlySpan<byte> message)
    {
        string key = "", value = "";
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == 1 && wireType == WireLengthDelimited)
            {
                key = reader.Text();
            }
            else if (field == 2 && wireType == WireLengthDelimited)
            {
                var any = new Reader(reader.Bytes());
                while (any.Next(out var anyField, out var anyWire))
                {
                    switch (anyField, anyWire)
                    {
                        case (1, WireLengthDelimited):
                            value = any.Text();
                            break;
                        case (2, WireVarint):
                            value = any.Varint() != 0 ? "true" : "false";
                            break;
                        case (3, WireVarint):
                            value = ((long)any.Varint()).ToString(System.Globalization.CultureInfo.InvariantCulture);
                            break;
                        case (4, WireFixed64):
                            value = BitConverter.Int64BitsToDouble((long)any.Fixed64()).ToString(System.Globalization.CultureInfo.InvariantCulture);
                            break;
                        default:
                            any.Skip(anyWire);
                            break;
                    }
                }
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return (key, value);
    }

    /// <summary>Protobuf wire format: tags, varints, fixed-size and length-delimited fields.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public bool Next(out int field, out int wireType)
        {
            if (_position >= _data.Length)
            {
                field = wireType = 0;
                return false;
            }

            var tag = Varint();
            field = (int)(tag >> 3);
            wireType = (int)(tag & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = _data[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new FormatException("Malformed varint.");
        }

        public ulong Fixed64()
        {
            var value = BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(_position, 8));
            _position += 8;
            return value;
        }

        public ReadOnlySpan<byte> Bytes()
        {
            var length = checked((int)Varint());
            var bytes = _data.Slice(_position, length);
            _position += length;
            return bytes;
        }

        public string Text() => Encoding.UTF8.GetString(Bytes());

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case WireVarint:
                    Varint();
                    break;
                case WireFixed64:
                    _position += 8;
                    break;
                case WireLengthDelimited:
                    Bytes();
                    break;
                case WireFixed32:
                    _position += 4;
                    break;
                default:
                    throw new FormatException($"Unsupported protobuf wire type {wireType}.");
            }
        }
    }
}
