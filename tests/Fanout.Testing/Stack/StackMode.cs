namespace Fanout.Testing.Stack;

/// <summary>How a test stack runs Fanout: the parts as separate processes, or everything in one.</summary>
public enum StackMode
{
    Distributed,
    Embedded,
}
