using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Fanout.History;
using Npgsql;

namespace Fanout.IntegrationTests.Sequencer;

/// <summary>
/// A history writer that stores like PostgreSQL does (seqs per room in call order, an id stored once and then returned
/// as stored) and fails when <see cref="FailWith"/> says so: refuses for good (SQLSTATE 22P02) any call holding an event
/// typed <c>refused</c>, and otherwise throws whatever the script returns (a transient failure stands for PostgreSQL
/// being unreachable).
/// </summary>
public sealed class ScriptedStore : ISequencedHistoryWriter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _lastSeq = [];
    private readonly Dictionary<Guid, RoomEvent> _byId = [];
    private readonly List<IReadOnlyList<SubmittedEvent>> _calls = [];

    /// <summary>Called with each call's events (after the permanent refusal check); an exception returned is thrown.</summary>
    public Func<IReadOnlyList<SubmittedEvent>, Task<Exception?>> FailWith { get; set; } = _ => Task.FromResult<Exception?>(null);

    public IReadOnlyList<IReadOnlyList<SubmittedEvent>> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Every event stored, by id (with its seq).</summary>
    public IReadOnlyDictionary<Guid, RoomEvent> Stored
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<Guid, RoomEvent>(_byId);
            }
        }
    }

    public static Exception Transient() => new NpgsqlException("connection refused (scripted)");

    public async Task<IReadOnlyList<RoomEvent>> AppendAsync(IReadOnlyList<SubmittedEvent> events, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _calls.Add([.. events]);
        }

        if (events.Any(e => e.Type == "refused"))
        {
            throw new PostgresException("invalid input syntax", "ERROR", "ERROR", PostgresErrorCodes.InvalidTextRepresentation);
        }

        if (await FailWith(events) is { } failure)
        {
            throw failure;
        }

        lock (_lock)
        {
            var committed = new List<RoomEvent>(events.Count);
            foreach (var e in events)
            {
                if (!_byId.TryGetValue(e.Id, out var stored))
                {
                    var seq = _lastSeq[e.Room] = _lastSeq.GetValueOrDefault(e.Room) + 1;
                    stored = _byId[e.Id] = new RoomEvent(e.Room, seq, "epoch", e.Id, e.Type, e.Data, e.PublishedAt);
                }

                committed.Add(stored);
            }

            return committed;
        }
    }
}
