using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Memory;

/// <summary>Bytes waiting in all connections' outboxes together, against <see cref="MemoryBudgetOptions.OutboxMaxBytes"/>.</summary>
public sealed class OutboxBudget(IOptions<MemoryBudgetOptions> options) : ByteBudget(options.Value.OutboxMaxBytes);
