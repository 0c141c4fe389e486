using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Memory;

/// <summary>
/// Bytes routed to rooms and not yet delivered, against <see cref="MemoryBudgetOptions.InboundMaxBytes"/>: rooms reserve
/// before they queue and give back when they took the events off their queue.
/// </summary>
public sealed class InboundBudget(IOptions<MemoryBudgetOptions> options) : ByteBudget(options.Value.InboundMaxBytes);
