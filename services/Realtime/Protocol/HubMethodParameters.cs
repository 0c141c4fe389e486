using System.Collections.Concurrent;
using System.Reflection;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Protocol;

/// <summary>
/// Names and default values of the parameters a client passes to a hub method, for error messages and for
/// optional trailing parameters. SignalR's binder gives only their types; the hub type is its generic argument
/// (<c>HubConnectionBinder&lt;THub&gt;</c>), and the hub's methods are read once per hub type by reflection. When that
/// is not possible (another binder) the parameters are unnamed (<c>argument 2</c>) and none is optional.
/// </summary>
public static class HubMethodParameters
{
    private static readonly ConcurrentDictionary<Type, Dictionary<string, ParameterInfo[]>> MethodsByHub = new();

    /// <summary>
    /// One entry per type in <paramref name="parameterTypes"/> (what the client must send, in order): its
    /// <see cref="ParameterInfo"/>, or null when it cannot be matched to the hub method's declaration.
    /// </summary>
    public static ParameterInfo?[] Describe(object binder, string target, IReadOnlyList<Type> parameterTypes)
    {
        var slots = new ParameterInfo?[parameterTypes.Count];
        if (HubTypeOf(binder) is not { } hubType ||
            !MethodsByHub.GetOrAdd(hubType, ReadMethods).TryGetValue(target, out var declared))
        {
            return slots;
        }

        var next = 0;
        foreach (var parameter in declared)
        {
            if (next < slots.Length && parameter.ParameterType == parameterTypes[next])
            {
                slots[next++] = parameter;
            }
        }

        return next == slots.Length ? slots : new ParameterInfo?[parameterTypes.Count];
    }

    private static Type? HubTypeOf(object binder)
    {
        var type = binder.GetType();
        return type.IsGenericType && type.GetGenericArguments() is [var hub] && typeof(Hub).IsAssignableFrom(hub) ? hub : null;
    }

    private static Dictionary<string, ParameterInfo[]> ReadMethods(Type hubType)
    {
        var methods = new Dictionary<string, ParameterInfo[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var method in hubType.GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            var declaring = method.GetBaseDefinition().DeclaringType;
            if (method.IsSpecialName || declaring is null || declaring == typeof(object) || declaring == typeof(Hub) ||
                (declaring.IsGenericType && declaring.GetGenericTypeDefinition() == typeof(Hub<>)))
            {
                continue;
            }

            var name = method.GetCustomAttribute<HubMethodNameAttribute>()?.Name ?? method.Name;
            methods[name] = method.GetParameters().Where(IsClientSupplied).ToArray();
        }

        return methods;
    }

    private static bool IsClientSupplied(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (type == typeof(CancellationToken) || parameter.IsDefined(typeof(FromKeyedServicesAttribute)) ||
            parameter.GetCustomAttributes().Any(attribute => attribute is IFromServiceMetadata))
        {
            return false;
        }

        return !type.IsGenericType || (type.GetGenericTypeDefinition() != typeof(ChannelReader<>) &&
            type.GetGenericTypeDefinition() != typeof(IAsyncEnumerable<>));
    }
}
