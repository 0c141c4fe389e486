namespace Fanout.History;

/// <summary>Whether this process has seen the history schema migrated.</summary>
public sealed class HistorySchemaState
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Completes once the schema is migrated.</summary>
    public Task WhenReady => _ready.Task;

    public void MarkReady() => _ready.TrySetResult();
}
