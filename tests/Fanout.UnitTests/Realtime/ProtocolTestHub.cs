using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.UnitTests.Realtime;

[SuppressMessage("Performance", "CA1822", Justification = "SignalR calls hub methods on an instance.")]
public sealed class ProtocolTestHub : Hub
{
    public string Publish(string room, string type, JsonElement data) => $"{room}{type}{data}";

    public string Subscribe(string room, long? afterSeq = null, string? epoch = null) => $"{room}{afterSeq}{epoch}";

    public Task<int> Wait(int milliseconds, CancellationToken cancellationToken) => Task.FromResult(milliseconds);

    [HubMethodName("renamed")]
    public bool Flag(bool on) => on;
}

/// <summary>
/// Binds like SignalR's server binder (<c>HubConnectionBinder&lt;THub&gt;</c>): the parameter types of the hub method a
/// client may call, without <see cref="CancellationToken"/>; an unknown method throws "Method does not exist.".
/// </summary>
public sealed class TestBinder<THub> : IInvocationBinder
    where THub : Hub
{
    public IReadOnlyList<Type> GetParameterTypes(string methodName)
    {
        var method = typeof(THub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .FirstOrDefault(m => string.Equals(m.GetCustomAttribute<HubMethodNameAttribute>()?.Name ?? m.Name, methodName, StringComparison.OrdinalIgnoreCase))
            ?? throw new HubException("Method does not exist.");
        return method.GetParameters().Select(p => p.ParameterType).Where(t => t != typeof(CancellationToken)).ToList();
    }

    public Type GetReturnType(string invocationId) => typeof(object);

    public Type GetStreamItemType(string streamId) => typeof(object);
}

/// <summary>A binder that is not SignalR's generic one: parameter names cannot be found.</summary>
public sealed class AnonymousBinder : IInvocationBinder
{
    private readonly TestBinder<ProtocolTestHub> _inner = new();

    public IReadOnlyList<Type> GetParameterTypes(string methodName) => _inner.GetParameterTypes(methodName);

    public Type GetReturnType(string invocationId) => typeof(object);

    public Type GetStreamItemType(string streamId) => typeof(object);
}
