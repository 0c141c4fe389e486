namespace Fanout.Realtime.Lifecycle;

/// <summary>Whether this node is draining: not ready, accepting no new connections, sending its clients away.</summary>
public sealed class DrainState
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public void Begin() => _draining = true;
}
