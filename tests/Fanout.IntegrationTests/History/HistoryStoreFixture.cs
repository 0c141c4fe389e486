using Fanout.History;
using Fanout.History.Idempotency;
using Fanout.History.Retention;

namespace Fanout.IntegrationTests.History;

/// <summary>
/// A fresh history store of one implementation (PostgreSQL: <see cref="HistoryFixture"/>; SQLite:
/// <see cref="SqliteHistoryFixture"/>), for the specs every implementation must pass
/// (<see cref="SequencedHistoryWriterTests"/>, <see cref="RetentionSpec"/>, <see cref="IdempotencySpec"/>).
/// </summary>
public abstract class HistoryStoreFixture : IAsyncLifetime
{
    public ISequencedHistoryWriter Writer { get; protected set; } = null!;

    public IHistoryReader Reader { get; protected set; } = null!;

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    public abstract IHistoryReset Reset(RetentionOptions options);

    /// <summary>A trimmer with these retention settings and the idempotency settings given (the defaults when none).</summary>
    public abstract IHistoryTrimmer Trimmer(RetentionOptions options, IdempotencyOptions? idempotency = null);

    /// <summary>Rows the store holds for the room (trimmed ones included until they are deleted).</summary>
    public abstract Task<long> RowsAsync(string room);

    /// <summary>Makes the room's events up to <paramref name="upToSeq"/> look stored <paramref name="age"/> ago.</summary>
    public abstract Task AgeAsync(string room, long upToSeq, TimeSpan age);

    /// <summary>Makes the room's remembered idempotency keys look stored <paramref name="age"/> ago.</summary>
    public abstract Task AgeKeysAsync(string room, TimeSpan age);
}
