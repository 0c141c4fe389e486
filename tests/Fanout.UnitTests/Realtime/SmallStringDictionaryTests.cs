using Fanout.Realtime.Collections;

namespace Fanout.UnitTests.Realtime;

public sealed class SmallStringDictionaryTests
{
    [Fact]
    public void SetAddsOrReplacesAndTryGetValueFindsOrdinally()
    {
        var map = new SmallStringDictionary<string>();

        map.Set("a", "1");
        map.Set("A", "2");
        map.Set("a", "3");

        map.Count.ShouldBe(2);
        map.TryGetValue("a", out var a).ShouldBeTrue();
        a.ShouldBe("3");
        map.TryGetValue("b", out _).ShouldBeFalse();
        map.ShouldBe([KeyValuePair.Create("a", "3"), KeyValuePair.Create("A", "2")], ignoreOrder: true);
    }

    [Fact]
    public void RemoveGivesTheValueItHad()
    {
        var map = new SmallStringDictionary<string>();
        map.Set("a", "1");

        map.Remove("a", out var value).ShouldBeTrue();
        value.ShouldBe("1");
        map.Remove("a", out _).ShouldBeFalse();
        map.Count.ShouldBe(0);
        map.ShouldBeEmpty();
    }

    [Fact]
    public void RemoveOfAKeyAndValueRemovesOnlyWhileTheKeyMapsToThatValue()
    {
        var first = new object();
        var second = new object();
        var map = new SmallStringDictionary<object>();
        map.Set("room", second);

        map.Remove("room", first).ShouldBeFalse();
        map.Count.ShouldBe(1);
        map.Remove("room", second).ShouldBeTrue();
        map.Count.ShouldBe(0);
        map.Remove("room", second).ShouldBeFalse();
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(40)]
    public void BehavesTheSameBelowAndBeyondItsArrayLimit(int count)
    {
        var map = new SmallStringDictionary<int>();
        var keys = Enumerable.Range(0, count).Select(i => $"room:{i}").ToList();

        for (var i = 0; i < count; i++)
        {
            map.Set(keys[i], i);
        }

        map.Set("room:0", -1);

        map.Count.ShouldBe(count);
        map.Select(entry => entry.Key).ShouldBe(keys, ignoreOrder: true);
        map.TryGetValue("room:0", out var replaced).ShouldBeTrue();
        replaced.ShouldBe(-1);
        map.Remove("room:3", out var removed).ShouldBeTrue();
        removed.ShouldBe(3);
        map.TryGetValue("room:3", out _).ShouldBeFalse();
        map.Remove("room:4", 4).ShouldBeTrue();
        map.Count.ShouldBe(count - 2);
    }

    [Fact]
    public void ClearEmptiesTheMapWhateverItsSize()
    {
        var map = new SmallStringDictionary<int>();
        Enumerable.Range(0, 20).ToList().ForEach(i => map.Set($"r{i}", i));

        map.Clear();

        map.Count.ShouldBe(0);
        map.ShouldBeEmpty();
        map.Set("r1", 1);
        map.Count.ShouldBe(1);
    }
}
