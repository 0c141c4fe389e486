using StackExchange.Redis;

namespace Fanout.PresenceStore.Redis;

/// <summary>Reading the nested arrays the presence scripts answer.</summary>
internal static class RedisResults
{
    /// <summary>A flat <c>HGETALL</c> answer (field, value, field, value …) as a dictionary.</summary>
    public static Dictionary<string, string> ToDictionary(RedisResult[] flat)
    {
        var fields = new Dictionary<string, string>(flat.Length / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            fields[(string)flat[i]!] = (string)flat[i + 1]!;
        }

        return fields;
    }
}
