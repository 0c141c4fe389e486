using Fanout.Contracts.Wire;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Presence;

/// <summary>
/// 200 users on two nodes make 2,000 random moves (subscribe, unsubscribe, disconnect and reconnect elsewhere) in four
/// rooms; afterwards presence equals the ground truth exactly, and every user's join/leave messages alternate.
/// </summary>
public sealed class PresenceChurnTests() : StackLifetime(new StackOptions { Sequencers = 1, RealtimeNodes = 2, Partitions = 2 })
{
    private const int Users = 200;
    private const int MovesPerUser = 10;
    private static readonly string[] Rooms = ["churn:a", "churn:b", "churn:c", "churn:d"];

    [Fact]
    public async Task AfterTwoThousandRandomMovesPresenceEqualsTheGroundTruthAndJoinsAndLeavesAlternate()
    {
        var watchers = new List<RecordingClient>();
        foreach (var room in Rooms)
        {
            var watcher = await RecordingClient.ConnectAsync(Stack, watchers.Count % 2, $"watcher-{room}");
            await watcher.SubscribeAsync(room);
            watchers.Add(watcher);
        }

        var users = Enumerable.Range(0, Users).Select(i => new ChurningUser(Stack, $"churner-{i:D3}", seed: i)).ToList();
        try
        {
            await Task.WhenAll(users.Select(u => u.MoveAsync(MovesPerUser, Rooms)));

            var api = new PresenceApi(Ingest.Http);
            foreach (var (room, index) in Rooms.Select((r, i) => (r, i)))
            {
                var expected = users.Where(u => u.Connections(room) > 0).ToDictionary(u => u.UserId, u => u.Connections(room));
                expected[$"watcher-{room}"] = 1;
                await Eventually.HoldsAsync(async () => DictionaryEquals(await api.MemberCountsAsync(room), expected),
                    $"the members of {room} equal the ground truth ({expected.Count} users)");

                var byUser = watchers[index].PresenceMessages(room).GroupBy(m => m.UserId).ToDictionary(g => g.Key, g => g.ToList());
                await Eventually.HoldsAsync(() =>
                {
                    byUser = watchers[index].PresenceMessages(room).GroupBy(m => m.UserId).ToDictionary(g => g.Key, g => g.ToList());
                    return users.All(u => u.Connections(room) > 0 == (byUser.TryGetValue(u.UserId, out var m) && m[^1].Action == PresenceMessage.Join));
                }, $"the last join/leave of every user in {room} matches whether they are in it");
                foreach (var (user, messages) in byUser)
                {
                    for (var i = 0; i < messages.Count; i++)
                    {
                        messages[i].Action.ShouldBe(i % 2 == 0 ? PresenceMessage.Join : PresenceMessage.Leave,
                            $"{user}'s message {i} in {room}: {string.Join(",", messages.Select(m => m.Action))}");
                    }
                }
            }

            users.Sum(u => u.MovesMade).ShouldBe(Users * MovesPerUser);
        }
        finally
        {
            await Task.WhenAll(users.Select(u => u.DisposeAsync().AsTask()).Concat(watchers.Select(w => w.DisposeAsync().AsTask())));
        }
    }

    private static bool DictionaryEquals(Dictionary<string, int> actual, Dictionary<string, int> expected) =>
        actual.Count == expected.Count && expected.All(e => actual.GetValueOrDefault(e.Key) == e.Value);

    /// <summary>A user with up to two connections (on random nodes) who moves at random; knows what they hold.</summary>
    private sealed class ChurningUser(FanoutStack stack, string userId, int seed) : IAsyncDisposable
    {
        private readonly Random _random = new(seed);
        private readonly RecordingClient?[] _connections = new RecordingClient?[2];
        private readonly HashSet<string>[] _rooms = [[], []];

        public string UserId => userId;

        public int MovesMade { get; private set; }

        public int Connections(string room) => _rooms.Count(held => held.Contains(room));

        public async Task MoveAsync(int moves, string[] rooms)
        {
            for (var i = 0; i < moves; i++)
            {
                var slot = _random.Next(2);
                var room = rooms[_random.Next(rooms.Length)];
                var roll = _random.Next(10);
                if (_connections[slot] is not { } connection)
                {
                    _connections[slot] = connection = await RecordingClient.ConnectAsync(stack, _random.Next(2), userId);
                }

                if (roll < 6)
                {
                    await connection.SubscribeAsync(room);
                    _rooms[slot].Add(room);
                }
                else if (roll < 9)
                {
                    await connection.UnsubscribeAsync(room);
                    _rooms[slot].Remove(room);
                }
                else
                {
                    await connection.DisposeAsync();
                    _connections[slot] = null;
                    _rooms[slot].Clear();
                }

                MovesMade++;
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var connection in _connections)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }
        }
    }
}
