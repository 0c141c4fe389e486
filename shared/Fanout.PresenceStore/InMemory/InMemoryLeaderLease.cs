namespace Fanout.PresenceStore.InMemory;

/// <summary><see cref="ILeaderLease"/> for a single process (embedded mode, tests).</summary>
public sealed class InMemoryLeaderLease(TimeProvider clock) : ILeaderLease
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Owner, DateTimeOffset Until)> _leases = new(StringComparer.Ordinal);

    public Task<bool> TryHoldAsync(string name, string owner, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_leases.TryGetValue(name, out var lease) && lease.Owner != owner && lease.Until > now)
            {
                return Task.FromResult(false);
            }

            _leases[name] = (owner, now + ttl);
            return Task.FromResult(true);
        }
    }

    public Task ReleaseAsync(string name, string owner, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue(name, out var lease) && lease.Owner == owner)
            {
                _leases.Remove(name);
            }
        }

        return Task.CompletedTask;
    }
}
