using Fanout.Contracts.Validation;
using Fanout.Ingest.Requests;

namespace Fanout.Ingest.Auth;

/// <summary>
/// The room check of every room route: the request's API key may use only rooms that match one of its patterns
/// (<c>Ingest:ApiKeys:{i}:Rooms</c>). A room it may not use is answered 403, naming the room.
/// </summary>
public static class RoomAccess
{
    private const int MaxPatternsShown = 10;

    /// <summary>
    /// The preamble of every route with a room in its path: null when <paramref name="room"/> is a valid room id
    /// (else 400) that the key may use (else 403).
    /// </summary>
    public static RequestError? CheckRoute(HttpContext context, string room) =>
        RoomId.Validate(room) is { } roomError ? RequestError.BadRequest(roomError) : Check(context, room);

    /// <summary>Null when the key may use <paramref name="room"/>, else a 403.</summary>
    public static RequestError? Check(HttpContext context, string room) =>
        MayUse(context, room) ? null : RequestError.Forbidden($"This API key may not use room '{room}'; {Patterns(context)}.");

    /// <summary>
    /// All or nothing, like the other item checks: the first event in a room the key may not use refuses the whole
    /// request, named by <paramref name="itemName"/> and its index (extension <c>index</c>).
    /// </summary>
    public static RequestError? CheckAll(HttpContext context, IReadOnlyList<EventDraft> drafts, Func<int, string> itemName)
    {
        for (var i = 0; i < drafts.Count; i++)
        {
            if (!MayUse(context, drafts[i].Room))
            {
                return RequestError.Forbidden($"{itemName(i)}: this API key may not use room '{drafts[i].Room}'; {Patterns(context)}", i);
            }
        }

        return null;
    }

    private static bool MayUse(HttpContext context, string room) => context.GetApiKey()?.MayUse(room) == true;

    private static string Patterns(HttpContext context)
    {
        var rooms = context.GetApiKey()?.Rooms ?? [];
        var shown = string.Join(", ", rooms.Take(MaxPatternsShown)) + (rooms.Count > MaxPatternsShown ? ", …" : string.Empty);
        return $"its room patterns are {shown}";
    }
}
