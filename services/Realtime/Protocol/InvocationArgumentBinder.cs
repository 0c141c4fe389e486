using System.Buffers;
using System.Reflection;
using System.Text.Json;
using Fanout.Contracts.Validation;

namespace Fanout.Realtime.Protocol;

/// <summary>
/// Binds the scanned arguments of one invocation to the hub method's parameter types, or says in one sentence what
/// is wrong, prefixed with the method name: <c>Subscribe: argument 'room' must be a string</c>,
/// <c>Publish: data nests deeper than 64 levels</c>, <c>Publish: expected 3 arguments (room, type, data), got 2</c>.
/// Trailing parameters the method declares with a default value may be left out.
/// </summary>
public sealed class InvocationArgumentBinder(JsonSerializerOptions serializerOptions, EventDataRules rules)
{
    /// <summary>Returns the bound arguments, or null with <paramref name="error"/> set.</summary>
    public object?[]? Bind(
        ReadOnlySequence<byte> payload,
        ScannedMessage message,
        string target,
        IReadOnlyList<Type> types,
        ParameterInfo?[] parameters,
        out string? error)
    {
        error = null;
        if (message.ArgumentsNotAnArray)
        {
            error = $"{target}: arguments must be a JSON array";
            return null;
        }

        var scanned = message.Arguments;
        var required = RequiredCount(parameters);
        if (scanned.Count > types.Count || scanned.Count < required)
        {
            error = $"{target}: expected {Expected(required, types.Count, parameters)}, got {scanned.Count}";
            return null;
        }

        var values = new object?[types.Count];
        for (var i = 0; i < types.Count; i++)
        {
            if (i >= scanned.Count)
            {
                values[i] = DefaultOf(parameters[i]!, types[i]);
                continue;
            }

            var argument = scanned[i];
            var kind = ArgumentKind.Of(types[i]);
            if (!kind.Accepts(argument.FirstToken))
            {
                error = $"{target}: {Quoted(parameters[i], i)} must be {kind.Description}";
                return null;
            }

            if (argument.Depth > rules.MaxDepth)
            {
                error = $"{target}: {Bare(parameters[i], i)} nests deeper than {rules.MaxDepth} levels";
                return null;
            }

            if (!TryDeserialize(payload.Slice(argument.Start, argument.Length), types[i], out values[i]))
            {
                error = $"{target}: {Quoted(parameters[i], i)} must be {kind.Description}";
                return null;
            }
        }

        return values;
    }

    private bool TryDeserialize(ReadOnlySequence<byte> json, Type type, out object? value)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = rules.MaxDepth + 1 });
        try
        {
            value = JsonSerializer.Deserialize(ref reader, type, serializerOptions);
            return true;
        }
        catch (Exception)
        {
            value = null;
            return false;
        }
    }

    private static int RequiredCount(ParameterInfo?[] parameters)
    {
        var required = parameters.Length;
        while (required > 0 && parameters[required - 1] is { HasDefaultValue: true })
        {
            required--;
        }

        return required;
    }

    private static object? DefaultOf(ParameterInfo parameter, Type type) =>
        parameter.DefaultValue is null && type.IsValueType && Nullable.GetUnderlyingType(type) is null
            ? Activator.CreateInstance(type)
            : parameter.DefaultValue;

    private static string Expected(int required, int count, ParameterInfo?[] parameters)
    {
        var howMany = (required, count) switch
        {
            (_, 0) => "no arguments",
            (1, 1) => "1 argument",
            var (r, c) when r == c => $"{c} arguments",
            var (r, c) => $"{r} to {c} arguments",
        };
        return count > 0 && parameters.All(p => p?.Name is not null)
            ? $"{howMany} ({string.Join(", ", parameters.Select(p => p!.Name))})"
            : howMany;
    }

    private static string Quoted(ParameterInfo? parameter, int index) =>
        parameter?.Name is { } name ? $"argument '{name}'" : $"argument {index + 1}";

    private static string Bare(ParameterInfo? parameter, int index) => parameter?.Name ?? $"argument {index + 1}";
}
