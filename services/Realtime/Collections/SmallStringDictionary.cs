using System.Collections;

namespace Fanout.Realtime.Collections;

/// <summary>
/// A map from strings (compared ordinally) to values, sized for the few rooms a connection holds. Up to
/// <see cref="SmallArrays.Limit"/> entries live in an array that grows from one slot, so a map of one costs about
/// 72 bytes where a <see cref="System.Collections.Concurrent.ConcurrentDictionary{TKey, TValue}"/> costs about 550;
/// one more entry moves them all to a <see cref="Dictionary{TKey, TValue}"/>, which keeps lookups constant-time
/// however many there are (until <see cref="Clear"/>). Not thread-safe: each owner guards it with its own lock, and
/// must not change it while enumerating it. Enumeration order is unspecified.
/// </summary>
public sealed class SmallStringDictionary<TValue> : IReadOnlyCollection<KeyValuePair<string, TValue>>
{
    private KeyValuePair<string, TValue>[]? _array;
    private int _count;
    private Dictionary<string, TValue>? _hashed;

    public int Count => _hashed?.Count ?? _count;

    public bool TryGetValue(string key, out TValue value)
    {
        if (_hashed is not null)
        {
            return _hashed.TryGetValue(key, out value!);
        }

        var index = IndexOf(key);
        value = index >= 0 ? _array![index].Value : default!;
        return index >= 0;
    }

    /// <summary>Maps <paramref name="key"/> to <paramref name="value"/>, replacing any value it had.</summary>
    public void Set(string key, TValue value)
    {
        if (_hashed is not null)
        {
            _hashed[key] = value;
            return;
        }

        var index = IndexOf(key);
        if (index >= 0)
        {
            _array![index] = KeyValuePair.Create(key, value);
        }
        else if (_count == SmallArrays.Limit)
        {
            _hashed = new Dictionary<string, TValue>(_array!, StringComparer.Ordinal) { [key] = value };
            _array = null;
            _count = 0;
        }
        else
        {
            SmallArrays.Append(ref _array, ref _count, KeyValuePair.Create(key, value));
        }
    }

    /// <summary>Removes <paramref name="key"/>, giving the value it had; false when it was not in the map.</summary>
    public bool Remove(string key, out TValue value)
    {
        if (_hashed is not null)
        {
            return _hashed.Remove(key, out value!);
        }

        var index = IndexOf(key);
        if (index < 0)
        {
            value = default!;
            return false;
        }

        value = _array![index].Value;
        SmallArrays.RemoveAt(ref _array, ref _count, index);
        return true;
    }

    /// <summary>
    /// Removes <paramref name="key"/> only while it maps to <paramref name="value"/> (compared by
    /// <see cref="EqualityComparer{T}.Default"/>, as <c>ConcurrentDictionary.TryRemove(KeyValuePair)</c> does).
    /// </summary>
    public bool Remove(string key, TValue value)
    {
        if (!TryGetValue(key, out var current) || !EqualityComparer<TValue>.Default.Equals(current, value))
        {
            return false;
        }

        return Remove(key, out _);
    }

    /// <summary>Empties the map and lets go of its storage.</summary>
    public void Clear()
    {
        _array = null;
        _count = 0;
        _hashed = null;
    }

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() => SmallArrays.Items(_hashed, _array, _count).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key) => SmallArrays.IndexOf(_array, _count, key, static entry => entry.Key);
}
