using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Bench.Results;

/// <summary>The one-line JSON form of a result (camelCase, nulls left out).</summary>
public static class ResultJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(BenchResult result) => JsonSerializer.Serialize(result, Options);
}
