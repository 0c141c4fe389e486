namespace Fanout.Realtime.Memory;

/// <summary>A node-wide count of bytes held against a bound (<see cref="MemoryBudgetOptions"/>); lock-free.</summary>
public abstract class ByteBudget(long max)
{
    private long _held;

    public long Held => Interlocked.Read(ref _held);

    public long Max => max;

    /// <summary>Takes <paramref name="bytes"/>; false (and nothing taken) when that would pass the bound.</summary>
    public bool TryReserve(long bytes)
    {
        if (Interlocked.Add(ref _held, bytes) <= max)
        {
            return true;
        }

        Interlocked.Add(ref _held, -bytes);
        return false;
    }

    /// <summary>Takes <paramref name="bytes"/> whatever the bound (a lone message to an idle connection always goes out).</summary>
    public void Reserve(long bytes) => Interlocked.Add(ref _held, bytes);

    public void Release(long bytes) => Interlocked.Add(ref _held, -bytes);
}
