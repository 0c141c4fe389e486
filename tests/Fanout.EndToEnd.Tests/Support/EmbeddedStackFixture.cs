using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Support;

/// <summary>
/// The embedded mode (one Fanout.Embedded process, history in its own SQLite file) shared by the tests of the
/// <see cref="EmbeddedStackCollection"/>: the same tests as on <see cref="SharedStackFixture"/>, by one fixture parameter.
/// </summary>
public sealed class EmbeddedStackFixture() : StackLifetime(new StackOptions
{
    Mode = StackMode.Embedded,
    Settings = SharedStackFixture.UnlimitedKey,
});

[CollectionDefinition(Name)]
public sealed class EmbeddedStackCollection : ICollectionFixture<EmbeddedStackFixture>
{
    public const string Name = "embedded stack";
}
