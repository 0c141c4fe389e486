using System.Text.RegularExpressions;

namespace Fanout.EndToEnd.Tests.Hostile;

/// <summary>What an answer to a client must never contain: a stack trace or the name of an exception type.</summary>
public static partial class Leaks
{
    public static void ShouldNotLeak(string text, string what)
    {
        text.ShouldNotContain("   at ", Case.Sensitive, $"{what}: a stack trace leaked");
        text.ShouldNotContain("StackTrace", Case.Insensitive, $"{what}: a stack trace leaked");
        if (ExceptionTypeName().Match(text) is { Success: true } match)
        {
            throw new ShouldAssertException($"{what}: an exception type name leaked ({match.Value}) in: {Shorten(text)}");
        }
    }

    public static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + $"… ({text.Length} chars)";

    // Any *Exception but the documented HubException prefix of hub errors; namespaces of the libraries underneath.
    [GeneratedRegex(@"\b(?!HubException\b)[A-Za-z]*Exception\b|\b(System|Npgsql|RabbitMQ|Microsoft)\.[A-Z][A-Za-z]+")]
    private static partial Regex ExceptionTypeName();
}
