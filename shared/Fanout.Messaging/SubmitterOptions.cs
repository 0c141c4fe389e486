using System.ComponentModel.DataAnnotations;

namespace Fanout.Messaging;

/// <summary>How events are handed to the broker.</summary>
public sealed class SubmitterOptions
{
    public const string SectionName = "Submitter";

    /// <summary>
    /// Longest time, in milliseconds, to wait for the broker to confirm an event before answering
    /// "not accepted" (HTTP 503). Keep it under 5000 so clients get an answer within 5 seconds.
    /// </summary>
    [Range(100, 30_000)]
    public int AcceptTimeoutMs { get; set; } = 4_000;

    /// <summary>
    /// Most events in one submission message. Concurrent submissions to one partition share a message (group commit:
    /// <see cref="MaxMessagesInFlight"/> per partition, what arrives meanwhile leaves together in the next); a single call larger than
    /// this still goes in one message.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxBatchEvents { get; set; } = 500;

    /// <summary>
    /// Submission messages in flight at once per partition (each until the broker confirms it). 1 shares the most (what
    /// arrives during a confirm waits for it); more keeps a slow confirm from holding back the next submissions.
    /// </summary>
    [Range(1, 64)]
    public int MaxMessagesInFlight { get; set; } = 1;

    /// <summary>Most bytes of event <c>data</c> in one submission message (a single call larger than this still goes in one).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBatchBytes { get; set; } = 1024 * 1024;

    /// <summary>Most publishing channels open at once (each carries one publish at a time).</summary>
    [Range(1, 256)]
    public int MaxChannels { get; set; } = 32;
}
