namespace Fanout.Contracts.Wire;

/// <summary>
/// Why a <c>Subscribe</c> with <c>afterSeq</c> was not recovered (<see cref="SubscribeResult.Reason"/>). In every case
/// nothing was replayed and the subscription is live from the room's current position.
/// </summary>
public static class RecoveryReasons
{
    /// <summary>The client's epoch is not the room's: its history was reset or the database restored; its seqs mean nothing now.</summary>
    public const string EpochChanged = "epochChanged";

    /// <summary>Some events after <c>afterSeq</c> are no longer retained (retention trimmed them).</summary>
    public const string Trimmed = "trimmed";

    /// <summary>More events than <c>Realtime:MaxReplay</c> came after <c>afterSeq</c>.</summary>
    public const string TooMany = "tooMany";
}
