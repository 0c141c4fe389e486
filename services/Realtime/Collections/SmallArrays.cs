namespace Fanout.Realtime.Collections;

/// <summary>
/// The array storage of <see cref="SmallStringSet"/> and <see cref="SmallStringDictionary{TValue}"/>: the first
/// <c>count</c> slots hold the items, in no particular order. The array starts at one slot, doubles up to
/// <see cref="Limit"/>, and is let go of when the last item is removed, so an empty collection holds no array.
/// </summary>
internal static class SmallArrays
{
    /// <summary>The most items kept in an array; one more moves a collection to a hashed one.</summary>
    public const int Limit = 8;

    /// <summary>
    /// Puts <paramref name="item"/> after the first <paramref name="count"/> slots (callers keep count below
    /// <see cref="Limit"/>).
    /// </summary>
    public static void Append<T>(ref T[]? array, ref int count, T item)
    {
        if (array is null)
        {
            array = new T[1];
        }
        else if (count == array.Length)
        {
            Array.Resize(ref array, Math.Min(count * 2, Limit));
        }

        array[count++] = item;
    }

    /// <summary>The slot among the first <paramref name="count"/> whose key is <paramref name="key"/> (ordinal), or -1.</summary>
    public static int IndexOf<T>(T[]? array, int count, string key, Func<T, string> keyOf)
    {
        for (var i = 0; i < count; i++)
        {
            if (string.Equals(keyOf(array![i]), key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The items of a small collection: its hashed store once it has one, else its first <paramref name="count"/> slots.</summary>
    public static IEnumerable<T> Items<T>(IEnumerable<T>? hashed, T[]? array, int count) =>
        hashed ?? (array ?? []).Take(count);

    /// <summary>Removes the item at <paramref name="index"/> by moving the last one into its slot.</summary>
    public static void RemoveAt<T>(ref T[]? array, ref int count, int index)
    {
        count--;
        if (count == 0)
        {
            array = null;
            return;
        }

        array![index] = array[count];
        array[count] = default!;
    }
}
