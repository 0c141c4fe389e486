using Fanout.Realtime.Collections;

namespace Fanout.UnitTests.Realtime;

public sealed class SmallStringSetTests
{
    [Fact]
    public void AddsEachItemOnceAndFindsItOrdinally()
    {
        var set = new SmallStringSet();

        set.Add("room:a").ShouldBeTrue();
        set.Add("room:a").ShouldBeFalse();
        set.Add("room:A").ShouldBeTrue();

        set.Count.ShouldBe(2);
        set.Contains("room:a").ShouldBeTrue();
        set.Contains("room:b").ShouldBeFalse();
        set.ShouldBe(["room:a", "room:A"], ignoreOrder: true);
    }

    [Fact]
    public void RemovesItemsAndForgetsThoseNotHeld()
    {
        var set = new SmallStringSet();
        set.Add("a");
        set.Add("b");
        set.Add("c");

        set.Remove("b").ShouldBeTrue();
        set.Remove("b").ShouldBeFalse();
        set.Remove("x").ShouldBeFalse();

        set.ShouldBe(["a", "c"], ignoreOrder: true);
        set.Remove("a").ShouldBeTrue();
        set.Remove("c").ShouldBeTrue();
        set.Count.ShouldBe(0);
        set.ShouldBeEmpty();
        set.Add("a").ShouldBeTrue();
        set.ShouldBe(["a"]);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(40)]
    public void BehavesTheSameBelowAndBeyondItsArrayLimit(int count)
    {
        var set = new SmallStringSet();
        var items = Enumerable.Range(0, count).Select(i => $"room:{i}").ToList();

        items.ForEach(item => set.Add(item).ShouldBeTrue());
        items.ForEach(item => set.Add(item).ShouldBeFalse());

        set.Count.ShouldBe(count);
        set.ShouldBe(items, ignoreOrder: true);
        items.ShouldAllBe(item => set.Contains(item));
        set.Remove("room:3").ShouldBeTrue();
        set.Contains("room:3").ShouldBeFalse();
        set.Count.ShouldBe(count - 1);
    }

    [Fact]
    public void ClearEmptiesTheSetWhateverItsSize()
    {
        var set = new SmallStringSet();
        Enumerable.Range(0, 20).ToList().ForEach(i => set.Add($"r{i}"));

        set.Clear();

        set.Count.ShouldBe(0);
        set.ShouldBeEmpty();
        set.Add("r1").ShouldBeTrue();
        set.Count.ShouldBe(1);
    }
}
