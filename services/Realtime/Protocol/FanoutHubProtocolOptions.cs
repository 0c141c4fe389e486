using Fanout.Contracts.Validation;

namespace Fanout.Realtime.Protocol;

/// <summary>Limits of the hub protocol on realtime nodes.</summary>
public sealed class FanoutHubProtocolOptions
{
    public const string SectionName = "Realtime:HubProtocol";

    /// <summary>The largest <see cref="MaxMessageBytes"/> accepted, in bytes.</summary>
    public const int MaximumMaxMessageBytes = 16 * 1024 * 1024;

    /// <summary>
    /// The largest hub message a client may send, in bytes of JSON text. A larger message closes the connection (it
    /// cannot be answered as a failed call: SignalR stops reading it at this size). 0, the default, means four times
    /// the data limit plus 16 KiB: 278,528 with the 64 KiB data limit, room for data escaped or padded with white space.
    /// </summary>
    public int MaxMessageBytes { get; set; }

    /// <summary><see cref="MaxMessageBytes"/>, or its default for <paramref name="rules"/> when 0.</summary>
    public long EffectiveMaxMessageBytes(EventDataRules rules) =>
        MaxMessageBytes > 0 ? MaxMessageBytes : DefaultMaxMessageBytes(rules);

    public static long DefaultMaxMessageBytes(EventDataRules rules) => (4L * rules.MaxBytes) + (16 * 1024);

    /// <summary>The smallest <see cref="MaxMessageBytes"/> that still fits data of the largest size allowed.</summary>
    public static long MinimumMaxMessageBytes(EventDataRules rules) => rules.MaxBytes + (16L * 1024);
}
