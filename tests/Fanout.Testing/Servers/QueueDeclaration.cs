namespace Fanout.Testing.Servers;

/// <summary>How a queue was declared, as the management API reports it (<see cref="RabbitMqVhost.GetQueuesAsync"/>).</summary>
public sealed record QueueDeclaration(
    string Name, bool Durable, bool Exclusive, bool AutoDelete, string Type, IReadOnlyDictionary<string, string> Arguments);
