using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Fanout.UnitTests.Logging;

/// <summary>Operators filter and alert on event ids: one id must mean one message, across every Fanout assembly.</summary>
public sealed class LogEventIdTests
{
    private static readonly string[] FanoutAssemblies =
    [
        "Fanout.Ingest", "Fanout.Sequencer", "Fanout.Realtime", "Fanout.Presence",
        "Fanout.Messaging", "Fanout.History", "Fanout.PresenceStore", "Fanout.ServiceDefaults", "Fanout.Client",
        "Fanout.Embedded", "Fanout.History.Sqlite", "Fanout.WebConsole",
    ];

    [Fact]
    public void EveryLogMessageHasItsOwnEventId()
    {
        var messages = FanoutAssemblies
            .SelectMany(name => Assembly.Load(name).GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (Method: $"{method.DeclaringType!.FullName}.{method.Name}", Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(message => message.Attribute is not null)
            .ToList();

        messages.Count.ShouldBeGreaterThan(50);
        var shared = messages.GroupBy(message => message.Attribute!.EventId)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(message => message.Method))}")
            .ToList();
        shared.ShouldBeEmpty();
    }
}
