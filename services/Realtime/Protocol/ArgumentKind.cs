using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fanout.Realtime.Protocol;

/// <summary>
/// The JSON shape a hub method parameter takes, in words for error messages (<c>a string</c>, <c>an integer</c>), and
/// which first tokens can start it. A token it cannot start with is a type error before any deserialization.
/// </summary>
public sealed record ArgumentKind(string Description, bool AcceptsAnyValue, bool AcceptsNull, params JsonTokenType[] FirstTokens)
{
    public bool Accepts(JsonTokenType token) =>
        AcceptsAnyValue || (token == JsonTokenType.Null ? AcceptsNull : FirstTokens.Contains(token));

    public static ArgumentKind Of(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        var nullable = underlying is not null || !type.IsValueType;
        var t = underlying ?? type;
        if (t == typeof(JsonElement) || t == typeof(object) || typeof(JsonNode).IsAssignableFrom(t) || t == typeof(JsonDocument))
        {
            return new ArgumentKind("any JSON value", true, true);
        }

        if (t == typeof(string) || t == typeof(char) || t == typeof(Guid) || t == typeof(DateTime) || t == typeof(DateTimeOffset) ||
            t == typeof(TimeSpan) || t == typeof(DateOnly) || t == typeof(TimeOnly) || t == typeof(Uri) || t == typeof(byte[]))
        {
            return new ArgumentKind("a string", false, nullable, JsonTokenType.String);
        }

        if (t == typeof(bool))
        {
            return new ArgumentKind("true or false", false, nullable, JsonTokenType.True, JsonTokenType.False);
        }

        if (t.IsEnum)
        {
            return new ArgumentKind($"a {t.Name} value", false, nullable, JsonTokenType.Number, JsonTokenType.String);
        }

        if (t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(sbyte) || t == typeof(byte) ||
            t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort) || t == typeof(Int128) || t == typeof(UInt128))
        {
            return new ArgumentKind("an integer", false, nullable, JsonTokenType.Number);
        }

        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal) || t == typeof(Half))
        {
            return new ArgumentKind("a number", false, nullable, JsonTokenType.Number);
        }

        return typeof(IEnumerable).IsAssignableFrom(t)
            ? new ArgumentKind("an array", false, nullable, JsonTokenType.StartArray)
            : new ArgumentKind("an object", false, nullable, JsonTokenType.StartObject);
    }
}
