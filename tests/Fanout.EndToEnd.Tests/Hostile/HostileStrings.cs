namespace Fanout.EndToEnd.Tests.Hostile;

/// <summary>
/// Strings that try to break ids (rooms, types, keys): SQL-ish and path-ish text, control characters, odd Unicode.
/// Each as a JSON string literal (escapes allowed, so lone surrogates can be said) and as a URL path segment.
/// </summary>
public static class HostileStrings
{
    public sealed record Id(string Label, string Json, string PathSegment);

    public static readonly IReadOnlyList<Id> Ids =
    [
        Plain("sql-drop", "'; DROP TABLE room_events; --"),
        Plain("sql-or", "1' OR '1'='1"),
        Plain("sql-comment", "room/**/UNION/**/SELECT"),
        Plain("dotdot-slash", "../../etc/passwd"),
        Plain("dotdot", ".."),
        Plain("dot", "."),
        Plain("backslashes", "..\\..\\windows"),
        new("pct-2F", "\"a%2Fb\"", "a%2Fb"),
        new("pct-00", "\"a%00b\"", "a%00b"),
        new("pct-double", "\"a%252Fb\"", "a%252Fb"),
        new("nul", "\"a\\u0000b\"", "a%00b"),
        new("lone-high-surrogate", "\"a\\ud800b\"", "a%ED%A0%80b"),
        new("lone-low-surrogate", "\"\\udfffa\"", "%ED%BF%BFa"),
        new("bom", "\"\\ufeffroom\"", Uri.EscapeDataString("\ufeffroom")),
        new("rtl-override", "\"room\\u202etxt.exe\"", Uri.EscapeDataString("room\u202etxt.exe")),
        new("zero-width-space", "\"ro\\u200bom\"", Uri.EscapeDataString("ro\u200bom")),
        new("zwj-emoji", "\"\\ud83d\\udc69\\u200d\\ud83d\\udcbb\"", Uri.EscapeDataString("\U0001F469\u200d\U0001F4BB")),
        new("fullwidth-dots", "\"\\uff0e\\uff0e\\uff0f\"", Uri.EscapeDataString("\uff0e\uff0e\uff0f")),
        new("newline", "\"a\\nb\"", "a%0Ab"),
        new("crlf-header", "\"a\\r\\nSet-Cookie: x=1\"", Uri.EscapeDataString("a\r\nSet-Cookie: x=1")),
        new("tab", "\"a\\tb\"", "a%09b"),
        new("bell", "\"a\\u0007b\"", "a%07b"),
        new("del", "\"a\\u007fb\"", "a%7Fb"),
        new("ansi-escape", "\"\\u001b[31mred\"", Uri.EscapeDataString("\u001b[31mred")),
        new("empty", "\"\"", string.Empty),
        Plain("space", " "),
        Plain("html", "<script>alert(1)</script>"),
        Plain("format", "{0}{1}%s%n%x"),
        new("json-injection", "\"a\\\",\\\"type\\\":\\\"x\"", Uri.EscapeDataString("a\",\"type\":\"x")),
        Plain("long-10000", new string('a', 10_000)),
        Plain("long-unicode", string.Concat(Enumerable.Repeat("\u00e9", 3_000))),
    ];

    private static Id Plain(string label, string value) =>
        new(label, System.Text.Json.JsonSerializer.Serialize(value), Uri.EscapeDataString(value));
}
