using System.Collections;

namespace Fanout.Realtime.Collections;

/// <summary>
/// A set of strings compared ordinally, sized for the few rooms a connection holds. Up to
/// <see cref="SmallArrays.Limit"/> items live in an array that grows from one slot, so a set of one costs about
/// 64 bytes where a <see cref="HashSet{T}"/> costs about 170; one more item moves them all to a
/// <see cref="HashSet{T}"/>, which keeps lookups constant-time however many there are (until <see cref="Clear"/>).
/// Not thread-safe: each owner guards it with its own lock, and must not change it while enumerating it. Enumeration
/// order is unspecified.
/// </summary>
public sealed class SmallStringSet : IReadOnlyCollection<string>
{
    private string[]? _array;
    private int _count;
    private HashSet<string>? _hashed;

    public int Count => _hashed?.Count ?? _count;

    public bool Contains(string item) => _hashed?.Contains(item) ?? IndexOf(item) >= 0;

    /// <summary>Adds <paramref name="item"/>; false when it was already in the set.</summary>
    public bool Add(string item)
    {
        if (_hashed is not null)
        {
            return _hashed.Add(item);
        }

        if (IndexOf(item) >= 0)
        {
            return false;
        }

        if (_count == SmallArrays.Limit)
        {
            _hashed = new HashSet<string>(_array!, StringComparer.Ordinal) { item };
            _array = null;
            _count = 0;
            return true;
        }

        SmallArrays.Append(ref _array, ref _count, item);
        return true;
    }

    /// <summary>Removes <paramref name="item"/>; false when it was not in the set.</summary>
    public bool Remove(string item)
    {
        if (_hashed is not null)
        {
            return _hashed.Remove(item);
        }

        var index = IndexOf(item);
        if (index < 0)
        {
            return false;
        }

        SmallArrays.RemoveAt(ref _array, ref _count, index);
        return true;
    }

    /// <summary>Empties the set and lets go of its storage.</summary>
    public void Clear()
    {
        _array = null;
        _count = 0;
        _hashed = null;
    }

    public IEnumerator<string> GetEnumerator() => SmallArrays.Items(_hashed, _array, _count).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string item) => SmallArrays.IndexOf(_array, _count, item, static stored => stored);
}
